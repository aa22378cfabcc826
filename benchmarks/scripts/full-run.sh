#!/bin/sh
# The measured session behind BENCHMARKS.md, in this order, on a quiet machine (check `uptime`):
#   1. standard run: goflow-exporter 3 x 60 s at 3M records/s, the zero-loss search, then 3 x 20 s
#      at half the rate found (latency); nfacctd 1 x 60 s at 3M records/s and its search; same
#      generator, same load
#   2. latency at half the target rate: goflow-exporter 3 x 20 s at 1.5M records/s
#   3. JMH short profile with -prof gc (about 6 minutes)
# Everything lands in benchmarks/target/results-<UTC>/ (out of git). Build first:
#   mvn -B -DskipTests package
# QUICK=1 shortens every step to check the tooling, not to measure.
set -e
cd "$(dirname "$0")/../.."
OUT=benchmarks/target/results-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git rev-parse HEAD 2>/dev/null || echo unknown)"
    echo "nproc: $(nproc)"
    grep -m1 'model name' /proc/cpuinfo
    grep MemTotal /proc/meminfo
    echo "kernel: $(uname -r)"
    java -version 2>&1 | head -2
    echo "nfacctd: $(nfacctd -V 2>&1 | head -1)"
    echo "load before: $(cat /proc/loadavg)"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt"

if [ "${QUICK:-0}" = 1 ]; then
    FIXED="--duration 5 --repeat 1 --peer-repeat 1 --warmup 2 --step-duration 3 --search-steps 3 --half-duration 3"
    HALF="--duration 5 --repeat 1 --warmup 2"
    JMH="-f 1 -wi 1 -i 1 -w 1s -r 1s -p liveKeys=10000 -p series=10000"
else
    FIXED="--duration 60 --repeat 3 --peer-repeat 1 --warmup 10 --step-duration 10 --search-steps 8 --half-duration 20"
    HALF="--duration 20 --repeat 3 --warmup 10"
    JMH="-f 1 -wi 2 -i 3 -w 2s -r 2s"
fi

# shellcheck disable=SC2086
benchmarks/scripts/load-run.sh --targets goflow,nfacctd --modes fixed,search,half --rate 3000000 $FIXED \
    --out "$OUT/standard" 2>&1 | tee "$OUT/standard.txt"
# shellcheck disable=SC2086
benchmarks/scripts/load-run.sh --targets goflow --modes fixed --rate 1500000 $HALF \
    --out "$OUT/half-rate" 2>&1 | tee "$OUT/half-rate.txt"
# shellcheck disable=SC2086
java -jar "${BENCH_JAR:-benchmarks/target/benchmarks.jar}" $JMH -prof gc -rf json -rff "$OUT/jmh.json" 2>&1 | tee "$OUT/jmh.txt"
echo "load after: $(cat /proc/loadavg)" >> "$OUT/machine.txt"
echo "results in $OUT"
