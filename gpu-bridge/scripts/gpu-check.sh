#!/usr/bin/env bash
# GPU check for the gpu-bridge, for a machine that has CUDA but no JDK.
#
#   gpu-bridge/scripts/gpu-check.sh build [DIR]   on a machine with JDK 25 (the repository's build):
#       compiles gpu-bridge and its tests, jlinks a small Java runtime, and puts runtime, classes,
#       the JUnit console launcher and the C baseline into DIR (default gpu-bridge/target/gpu-check).
#   DIR/gpu-check.sh run [SIZES...]               on the GPU machine (no JDK needed):
#       runs the GPU tests (tag gpu: CuBlasTest, the contract on cuBLAS) with the bundled runtime,
#       compiles scripts/cublas_gemm.c against the machine's cuBLAS, and times C = A·B in f32 for
#       each size (default 1024 2048 4096 8192) through Colony and through the C program in the
#       same run, printing GFLOP/s and Colony / C ratios (target >= 0.95 for n >= 2048).
set -euo pipefail

cmd="${1:-}"
case "$cmd" in
build)
  ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  DIR="${2:-$ROOT/gpu-bridge/target/gpu-check}"
  . "$ROOT/bin/jdk.sh"
  JAVA_HOME="$(colony_find_jdk)" || exit 1
  export JAVA_HOME
  (cd "$ROOT" && ./mvnw -q -B -pl gpu-bridge -am -DskipTests install \
    && ./mvnw -q -B -pl gpu-bridge dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.11.4 \
       -DoutputDirectory="$DIR.tmp-lib")
  rm -rf "$DIR"
  mkdir -p "$DIR"
  # java.management/jdk.management: the allocation test's ThreadMXBean; the vector module: the Java
  # backend that computes the reference results.
  "$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.management,jdk.incubator.vector \
    --strip-debug --no-man-pages --no-header-files --compress=zip-6 --output "$DIR/jre"
  cp -r "$ROOT/gpu-bridge/target/classes" "$DIR/classes"
  cp -r "$ROOT/gpu-bridge/target/test-classes" "$DIR/test-classes"
  mv "$DIR.tmp-lib"/junit-platform-console-standalone-*.jar "$DIR/junit-console.jar"
  rm -rf "$DIR.tmp-lib"
  cp "$ROOT/gpu-bridge/scripts/cublas_gemm.c" "$ROOT/gpu-bridge/scripts/gpu-check.sh" "$DIR/"
  echo "gpu-check: built $DIR ($(du -sh "$DIR" | cut -f1)); on the GPU machine run: $DIR/gpu-check.sh run"
  ;;
run)
  DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  shift
  SIZES=("$@")
  [ ${#SIZES[@]} -gt 0 ] || SIZES=(1024 2048 4096 8192)
  JAVA="$DIR/jre/bin/java"
  [ -x "$JAVA" ] || { echo "gpu-check: $JAVA missing: run 'gpu-check.sh build' on a machine with JDK 25 first" >&2; exit 2; }
  FLAGS=(--enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector)
  "$JAVA" -version 2>&1 | head -1
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "nvidia-smi: not found"
  echo "== GPU tests (JUnit, tag gpu)"
  "$JAVA" "${FLAGS[@]}" -jar "$DIR/junit-console.jar" execute --disable-banner --disable-ansi-colors --details=tree \
    -cp "$DIR/classes:$DIR/test-classes" --select-package dev.colony.gpu.cuda --include-tag gpu \
    --exclude-classname '.*Bench$' || TESTS_FAILED=1
  echo "== C = A·B, f32: Colony (FFM) vs the C program, same machine, same run"
  CUDA="${CUDA_HOME:-/usr/local/cuda}"
  if command -v nvcc >/dev/null; then
    nvcc -O2 -o "$DIR/cublas_gemm" "$DIR/cublas_gemm.c" -lcublas
  else
    gcc -O2 -I"$CUDA/include" -o "$DIR/cublas_gemm" "$DIR/cublas_gemm.c" -L"$CUDA/lib64" -lcublas -lcudart
  fi
  C_OUT="$("$DIR/cublas_gemm" "${SIZES[@]}")"
  J_OUT="$("$JAVA" "${FLAGS[@]}" -cp "$DIR/classes:$DIR/test-classes" dev.colony.gpu.cuda.CuBlasBench "${SIZES[@]}")"
  printf '%s\n%s\n' "$C_OUT" "$J_OUT" | awk '
    { n=$2; wall[$1,n]=$3; kern[$1,n]=$5; h2d[$1,n]=$4; d2h[$1,n]=$6; if (!(n in seen)) { seen[n]=1; order[++k]=n } }
    END {
      printf "%6s %14s %14s %8s %16s %16s %8s\n", "n", "colony kernel", "C kernel", "ratio", "colony H2D+K+D2H", "C H2D+K+D2H", "ratio"
      for (i = 1; i <= k; i++) { n = order[i]; f = 2 * n * n * n / 1e9
        jk = f / (kern["java",n] / 1e3); ck = f / (kern["c",n] / 1e3); jw = f / (wall["java",n] / 1e3); cw = f / (wall["c",n] / 1e3)
        printf "%6d %9.0f GF/s %9.0f GF/s %7.3fx %11.0f GF/s %11.0f GF/s %7.3fx\n", n, jk, ck, jk / ck, jw, cw, jw / cw }
    }'
  exit "${TESTS_FAILED:-0}"
  ;;
*)
  echo "usage: gpu-check.sh build [DIR]   (with JDK 25)  |  gpu-check.sh run [SIZES...]   (on the GPU machine)" >&2
  exit 2
  ;;
esac
