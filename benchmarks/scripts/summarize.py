#!/usr/bin/env python3
"""Markdown tables for BENCHMARKS.md from a full-run.sh results directory.

    benchmarks/scripts/summarize.py benchmarks/target/results-<UTC>

Reads standard/results.tsv, half-rate/results.tsv (and any other */results.tsv) and jmh.json.
Prints median [min, max] over the fixed steps of each target, every search and soak step, and
the JMH scores with allocation per operation.
"""
import csv
import json
import os
import statistics
import sys


def rows(path):
    with open(path) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def num(v):
    try:
        return float(v)
    except ValueError:
        return float("nan")


def fmt(v):
    v = num(v) if isinstance(v, str) else v
    if v != v:
        return "n/a"
    if v == float("inf"):
        return "> 1000"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def spread(values):
    values = [v for v in values]
    return f"{fmt(statistics.median(values))} [{fmt(min(values))}, {fmt(max(values))}]"


FIXED_COLUMNS = [
    ("offered records/s", "offered_rps"), ("achieved records/s", "achieved_rps"),
    ("achieved datagrams/s", "achieved_dps"), ("lost records", "lost_records"),
    ("kernel drops", "kernel_drops"), ("ring drops", "ring_drops"), ("parse errors", "parse_errors"),
    ("p50 ms", "p50_ms"), ("p99 ms", "p99_ms"), ("p999 ms", "p999_ms"), ("CPU cores", "cpu_cores"),
    ("RSS MB", "rss_mb"), ("heap MB", "heap_mb"), ("young GCs", "young_gcs"), ("live series", "series"),
    ("generator CPU cores", "generator_cores"),
]
STEP_COLUMNS = ["target_rps", "offered_rps", "achieved_rps", "lost_records", "kernel_drops", "ring_drops",
                "zero_loss", "p50_ms", "p99_ms", "p999_ms", "cpu_cores", "rss_mb", "young_gcs", "series", "generator_cores"]


def fixed_table(name, data, mode="fixed"):
    targets = sorted({r["target"] for r in data if r["mode"] == mode})
    if not targets:
        return
    rates = sorted({fmt(num(r["target_rps"])) for r in data if r["mode"] == mode})
    print(f"\n#### {name}: {mode} steps at {', '.join(rates)} records/s, median [min, max]\n")
    print("| figure | " + " | ".join(f"{t} (n={sum(1 for r in data if r['mode'] == mode and r['target'] == t)})" for t in targets) + " |")
    print("| --- |" + " --- |" * len(targets))
    for label, column in FIXED_COLUMNS:
        cells = []
        for t in targets:
            vals = [num(r.get(column, "nan")) for r in data if r["mode"] == mode and r["target"] == t]
            cells.append(spread(vals))
        print(f"| {label} | " + " | ".join(cells) + " |")


def steps_table(name, data, mode):
    steps = [r for r in data if r["mode"] == mode]
    if not steps:
        return
    print(f"\n#### {name}: {mode} steps\n")
    print("| target | " + " | ".join(STEP_COLUMNS) + " |")
    print("| --- |" + " --- |" * len(STEP_COLUMNS))
    for r in steps:
        print(f"| {r['target']} | " + " | ".join(r[c] if c == "zero_loss" else fmt(num(r.get(c, "nan"))) for c in STEP_COLUMNS) + " |")
    for t in sorted({r["target"] for r in steps}):
        ok = [num(r["offered_rps"]) for r in steps if r["target"] == t and r["zero_loss"] == "yes"]
        print(f"\n{t}: highest lossless {mode} step {fmt(max(ok)) if ok else 'none'} records/s")


def jmh_table(path):
    results = json.load(open(path))
    print("\n#### JMH\n")
    print("| benchmark | params | score | error | unit | alloc B/op |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in results:
        name = r["benchmark"].split("benchmarks.")[-1]
        params = ", ".join(f"{k}={v}" for k, v in (r.get("params") or {}).items())
        p = r["primaryMetric"]
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score", float("nan"))
        print(f"| {name} | {params} | {fmt(p['score'])} | {fmt(p['scoreError'])} | {p['scoreUnit']} | {fmt(alloc)} |")


def main():
    root = sys.argv[1]
    for entry in sorted(os.listdir(root)):
        tsv = os.path.join(root, entry, "results.tsv")
        if os.path.isfile(tsv):
            data = rows(tsv)
            fixed_table(entry, data)
            fixed_table(entry, data, "half")
            steps_table(entry, data, "search")
            steps_table(entry, data, "soak")
    if os.path.isfile(os.path.join(root, "jmh.json")):
        jmh_table(os.path.join(root, "jmh.json"))


if __name__ == "__main__":
    main()
