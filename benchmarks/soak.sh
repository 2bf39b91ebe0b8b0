#!/usr/bin/env bash
# A soak: `weft serve` on a fixed heap under the hostile-load generator (HostileLoad), with the
# server's live heap sampled throughout.
#
#   benchmarks/soak.sh [--duration S] [--scenario NAME] [--heap SIZE] [--sample S] [--threads N]
#                      [--no-build] [-- MORE GENERATOR OPTIONS]
#
# Defaults: 600 s of the mixed scenario against a 512m heap and 2 event loops, sampled every 10 s.
# Live heap is the heap in use right after a full GC that this script forces (jcmd GC.run, then
# GC.heap_info), so it counts only what is reachable; the forced GCs are part of the load the
# well-behaved clients see. Holdings are read from the server's periodic stats line (weft serve
# --stats-interval) when that line has a "held" figure. Prints the heap figures, then the
# generator's report: well-behaved latency and errors, and close codes per attacker kind. The
# server's log and the report stay in benchmarks/target/soak/.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD

DURATION=600
SCENARIO=mixed
HEAP=512m
SAMPLE=10
THREADS=2
BUILD=1
EXTRA=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --scenario) SCENARIO=$2; shift 2 ;;
    --heap) HEAP=$2; shift 2 ;;
    --sample) SAMPLE=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

if [[ $BUILD == 1 ]]; then
  mvn -B -q -DskipTests package -pl cli,benchmarks -am >&2
fi
BENCH_JAR=$ROOT/benchmarks/target/benchmarks.jar
[[ -f $BENCH_JAR ]] || { echo "soak.sh: $BENCH_JAR is missing (run without --no-build)" >&2; exit 2; }

WORK=$(mktemp -d)
SERVER_PID=
LOAD_PID=
cleanup() {
  for pid in $LOAD_PID $SERVER_PID; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

# The server, through the repository's launcher; its JVM options go in WEFT_JAVA_OPTS, and
# SERVE_ARGS adds options of weft serve (say --max-message-size 67108864).
WEFT_JAVA_OPTS="-Xmx$HEAP -Xlog:gc:file=$WORK/gc.log ${SERVER_JAVA_OPTS:-}" ./weft serve --port 0 --threads "$THREADS" \
  --stats-interval "$SAMPLE" ${SERVE_ARGS:-} >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER_PID=$!
PORT=
for _ in $(seq 1 600); do
  PORT=$(grep -Eo 'listening on ws://127\.0\.0\.1:[0-9]+' "$WORK/serve.out" 2>/dev/null | grep -Eo '[0-9]+$' || true)
  [[ -n $PORT ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.err" >&2; echo "soak.sh: weft serve did not start" >&2; exit 1; }
  sleep 0.1
done
[[ -n $PORT ]] || { echo "soak.sh: weft serve did not say where it listens" >&2; exit 1; }

# KiB of heap in use after a full GC: G1's one figure, or the sum of the generations' (Parallel, Serial).
live_heap_kb() {
  jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | awk '
    function used(   i, v) { for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); return v + 0 } }
    /garbage-first heap/ { print used(); found = 1; exit }
    /PSYoungGen|ParOldGen|def new generation|tenured generation/ { sum += used() }
    END { if (!found) print sum + 0 }'
}
mib() { awk -v kb="$1" 'BEGIN { printf "%.1f MiB", kb / 1024 }'; }

BEFORE=$(live_heap_kb "$SERVER_PID")
echo "soak: weft serve on 127.0.0.1:$PORT, -Xmx$HEAP, $THREADS event loops; live heap at rest $(mib "$BEFORE")" >&2

java ${LOAD_JAVA_OPTS:--Xmx256m} -cp "$BENCH_JAR" dev.weft.benchmarks.hostile.HostileLoad --port "$PORT" \
  --duration "$DURATION" --scenario "$SCENARIO" ${EXTRA[@]+"${EXTRA[@]}"} >"$WORK/load.out" 2>"$WORK/load.err" &
LOAD_PID=$!

PEAK=0
SAMPLES=0
START=$SECONDS
while kill -0 "$LOAD_PID" 2>/dev/null; do
  # Wakes each second to notice the generator's end, samples every $SAMPLE seconds.
  for _ in $(seq 1 "$SAMPLE"); do
    kill -0 "$LOAD_PID" 2>/dev/null || break
    sleep 1
  done
  kill -0 "$LOAD_PID" 2>/dev/null || break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "soak.sh: weft serve died during the load" >&2; break; }
  kb=$(live_heap_kb "$SERVER_PID")
  SAMPLES=$((SAMPLES + 1))
  (( kb > PEAK )) && PEAK=$kb
  echo "[$((SECONDS - START)) s] live heap $(mib "$kb")" >&2
done
LOAD_STATUS=0
wait "$LOAD_PID" || LOAD_STATUS=$?
LOAD_PID=

ALIVE=yes
AFTER=
if kill -0 "$SERVER_PID" 2>/dev/null; then
  AFTER=$(live_heap_kb "$SERVER_PID")
else
  ALIVE=no
fi

# The logs stay for a look after the run.
LOGS=$ROOT/benchmarks/target/soak
mkdir -p "$LOGS"
cp "$WORK/serve.err" "$LOGS/serve.log"
cp "$WORK/load.out" "$LOGS/load.out"
cp "$WORK/load.err" "$LOGS/load.err"
cp "$WORK/gc.log" "$LOGS/gc.log" 2>/dev/null || true

# The most heap in use right after any collection during the run, from the server's GC log (a
# young collection's figure also counts old garbage not yet collected, so this is an upper bound
# of what was live). The forced full GCs above may not happen: while a thread is inside zlib (a
# JNI critical region) the JVM defers them, and the sampled figure then counts garbage too.
AFTER_GC=$(grep -Eo '[0-9]+M->[0-9]+M' "$WORK/gc.log" 2>/dev/null | sed -E 's/.*->([0-9]+)M/\1/' | sort -n | tail -1 || true)
FULL_GCS=$(grep -c 'Pause Full' "$WORK/gc.log" 2>/dev/null || true)

# The largest "held" figure (bytes) of the server's stats lines, if they carry one.
HELD=$(grep '^stats:' "$WORK/serve.err" | grep -Eio 'held[a-z ]*[=: ] *[0-9]+' | grep -Eo '[0-9]+$' | sort -n | tail -1 || true)
OOM=$(grep -c 'OutOfMemoryError' "$WORK/serve.err" || true)

echo "soak: scenario $SCENARIO, $DURATION s, weft serve -Xmx$HEAP with $THREADS event loops"
echo "  live heap        at rest $(mib "$BEFORE"), peak $(mib "$PEAK") over $SAMPLES samples (after a requested full GC, every $SAMPLE s; $FULL_GCS full GCs took place)${AFTER:+, after the load $(mib "$AFTER")}"
echo "  heap after GC    peak ${AFTER_GC:-?} MiB (the most in use right after any collection, from the GC log)"
if [[ -n $HELD ]]; then
  echo "  peak holdings    $(mib $((HELD / 1024))) ($HELD bytes, from the server's stats lines)"
else
  echo "  peak holdings    not reported: this server's stats line has no 'held' figure"
fi
echo "  server           $([[ $ALIVE == yes ]] && echo alive || echo died) at the end; OutOfMemoryError logged $OOM times (log: ${LOGS#"$ROOT"/}/serve.log)"
echo
if [[ $LOAD_STATUS != 0 ]]; then
  cat "$WORK/load.err" >&2
  echo "soak.sh: the generator failed (status $LOAD_STATUS)" >&2
  exit 1
fi
cat "$WORK/load.out"
