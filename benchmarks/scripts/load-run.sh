#!/bin/sh
# End-to-end load run (see BENCHMARKS.md). Build first: mvn -B -DskipTests package
#   benchmarks/scripts/load-run.sh [--targets goflow,nfacctd] [--modes fixed,search] [--key value]...
# Run from anywhere; paths are resolved from the repository root. --help lists every option.
# BENCH_JAR=path runs a copy of the jar (so a rebuild cannot pull it from under a long run).
set -e
cd "$(dirname "$0")/../.."
exec java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Xms1g -Xmx1g \
    -cp "${BENCH_JAR:-benchmarks/target/benchmarks.jar}" io.goflow.exporter.benchmarks.load.LoadRun "$@"
