#!/bin/sh
# Load generator alone, against a collector you started yourself (see BENCHMARKS.md).
#   benchmarks/scripts/load-generator.sh --dest 127.0.0.1:2055 --exporters 64 --rate 1000000 --duration 60
# --help lists every option.
set -e
cd "$(dirname "$0")/../.."
exec java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
    -cp "${BENCH_JAR:-benchmarks/target/benchmarks.jar}" io.goflow.exporter.benchmarks.load.LoadGenerator "$@"
