#!/bin/sh
# Where the collector's CPU time goes: records goflow-exporter under load with JFR, then prints the
# hottest methods (top frame of jdk.ExecutionSample) and the hottest stacks three frames deep.
#   benchmarks/scripts/jfr-top.sh [RATE_RECORDS_PER_S] [SECONDS]
# The recording stays in benchmarks/target/jfr-<UTC>/ (out of git).
set -e
cd "$(dirname "$0")/../.."
RATE=${1:-1000000}
SECONDS_=${2:-30}
OUT=benchmarks/target/jfr-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
benchmarks/scripts/load-run.sh --targets goflow --modes fixed --rate "$RATE" --duration "$SECONDS_" --repeat 1 \
    --warmup 5 --out "$OUT/run" \
    --java-opts "-XX:StartFlightRecording=filename=$OUT/goflow.jfr,settings=profile,dumponexit=true" \
    | tee "$OUT/run.txt"
jfr print --events jdk.ExecutionSample --stack-depth 3 "$OUT/goflow.jfr" > "$OUT/samples.txt"
python3 - "$OUT/samples.txt" <<'PY'
import collections, re, sys
top = collections.Counter()
stacks = collections.Counter()
frames = []
def flush():
    if frames:
        top[frames[0]] += 1
        stacks[" <- ".join(frames)] += 1
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith("jdk.ExecutionSample"):
        flush()
        frames = []
    m = re.match(r"([\w$.<>]+)\(.*\)\s+line:", line)
    if m and len(frames) < 3:
        frames.append(m.group(1))
flush()
total = sum(top.values()) or 1
print(f"{total} samples")
print("top frames:")
for name, n in top.most_common(25):
    print(f"{100.0 * n / total:6.1f}%  {name}")
print("top stacks (3 frames):")
for name, n in stacks.most_common(15):
    print(f"{100.0 * n / total:6.1f}%  {name}")
PY
