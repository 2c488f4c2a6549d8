#!/usr/bin/env bash
# Builds and runs Colony's JMH benchmarks: run.sh [gemm|gemm-tiles] [JMH options, e.g. -wi 1 -i 3 -f 1].
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bin/jdk.sh"
JAVA_HOME="$(colony_find_jdk)" || exit 1
export JAVA_HOME
(cd "$ROOT" && ./mvnw -q -B -pl benchmarks -am -DskipTests package)
exec "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow --add-modules=jdk.incubator.vector \
  -cp "$ROOT/benchmarks/target/colony-benchmarks-0.1.0-SNAPSHOT.jar:$ROOT/benchmarks/target/lib/*" \
  dev.colony.benchmarks.BenchmarkMain "$@"
