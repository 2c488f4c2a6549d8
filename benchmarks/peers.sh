#!/usr/bin/env bash
# The tiny-task workload on Colony and on its peers in one run, alternating, with ratios:
#   benchmarks/peers.sh [--journal h2|postgres] [--tasks 20000] [--job-size 1000] [--rounds 3]
#                       [--warm-up-seconds 60]
# Each round runs, each in a fresh JVM warmed up by runs of the same workload for --warm-up-seconds
# (the JIT compilers take about a minute to settle on two cores): Colony (bin/colony bench throughput,
# one node), Apache Spark local[2] (not durable) and db-scheduler on the same database kind (durable).
# Prints every rate, then the medians and Colony's ratio to each peer. PostgreSQL: COLONY_POSTGRES_URL,
# COLONY_POSTGRES_USER, COLONY_POSTGRES_PASSWORD, as for `colony bench throughput --journal postgres`.
# The peers are built from benchmarks/peers (not part of the main build: Spark's tree is ~220 MiB).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bin/jdk.sh"
JAVA_HOME="$(colony_find_jdk)" || exit 1
export JAVA_HOME
journal=h2 tasks=20000 job_size=1000 rounds=3 warm_up=60
while [ $# -gt 0 ]; do
  case "$1" in
    --journal) journal="$2"; shift 2 ;;
    --tasks) tasks="$2"; shift 2 ;;
    --job-size) job_size="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --warm-up-seconds) warm_up="$2"; shift 2 ;;
    *) echo "peers.sh: unknown option $1 (--journal, --tasks, --job-size, --rounds, --warm-up-seconds)" >&2; exit 2 ;;
  esac
done
case "$journal" in h2|postgres) ;; *) echo "peers.sh: --journal $journal: h2 or postgres" >&2; exit 2 ;; esac
(cd "$ROOT" && ./mvnw -q -B -pl runtime -am -DskipTests install && ./mvnw -q -B -f benchmarks/peers/pom.xml package)
cp="$ROOT/benchmarks/peers/target/colony-peers-0.1.0-SNAPSHOT.jar:$ROOT/benchmarks/peers/target/lib/*"
# What Spark's own launcher opens for Java 17+; SPARK_USER: Hadoop's user lookup calls
# Subject.getSubject, which JDK 23+ no longer supports.
spark_opens=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true)
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
rate() { sed -n 's/.* = \([0-9.]*\) tasks\/s.*/\1/p' | tail -n 1; }                # a peer's PEER line
colony_rate() { sed -n 's/^ *run [0-9]*: \([0-9,]*\) tasks\/s.*/\1/p' | tr -d , | tail -n 1; } # bench throughput's
declare -A all=([colony]="" [spark]="" [dbsched]="")
for ((r = 1; r <= rounds; r++)); do
  c="$("$ROOT/bin/colony" bench throughput --journal "$journal" --nodes 1 --tasks "$tasks" --job-size "$job_size" \
        --runs 1 --warm-up-seconds "$warm_up" --data-dir "$data/colony-$r" 2>/dev/null | colony_rate || true)"
  s="$(SPARK_USER="${USER:-colony}" SPARK_LOCAL_IP=127.0.0.1 "$JAVA_HOME/bin/java" "${spark_opens[@]}" -cp "$cp" \
        dev.colony.peers.SparkTinyTasks --tasks "$tasks" --job-size "$job_size" --warm-up-seconds "$warm_up" \
        2>/dev/null | rate || true)"
  d="$("$JAVA_HOME/bin/java" -cp "$cp" dev.colony.peers.DbSchedulerTinyTasks --tasks "$tasks" --job-size "$job_size" \
        --journal "$journal" --warm-up-seconds "$warm_up" 2>/dev/null | rate || true)"
  echo "round $r: colony $journal ${c:-failed}, spark local[2] ${s:-failed}, db-scheduler $journal ${d:-failed} tasks/s"
  all[colony]+=" ${c:-0}"; all[spark]+=" ${s:-0}"; all[dbsched]+=" ${d:-0}"
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
mc="$(echo "${all[colony]}" | median)"; ms="$(echo "${all[spark]}" | median)"; md="$(echo "${all[dbsched]}" | median)"
awk -v c="$mc" -v s="$ms" -v d="$md" -v j="$journal" -v n="$tasks" 'BEGIN {
  printf "median of %s rounds, %d tiny tasks: colony %s %.0f tasks/s\n", ARGV[1], n, j, c
  printf "  spark local[2]     %8.0f tasks/s  colony/spark = %.2fx\n", s, (s > 0 ? c / s : 0)
  printf "  db-scheduler %-8s%5.0f tasks/s  colony/db-scheduler = %.2fx\n", j, d, (d > 0 ? c / d : 0)
}' "$rounds"
