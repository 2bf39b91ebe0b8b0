#!/usr/bin/env bash
# Side-by-side: the Weft demo server, a Netty echo server and a Jetty echo server, each in its own
# JVM with the same flags, measured with the same `weft bench` scenarios in one run, then each
# holding the same number of idle connections for a resident-memory reading.
#
#   benchmarks/compare.sh [--runs N] [--duration S] [--warmup S] [--idle N] [--out FILE] [--baseline JAR]
#                         [--peers "weft netty jetty"] [--scenarios PATTERN] [--java PATH] [--load weft|node]
#
# Builds what it needs (cli/target/weft.jar, benchmarks/target/benchmarks.jar) unless
# --no-build; WEFT_JAR names another Weft jar to serve. --baseline JAR adds a fourth server, an
# earlier Weft build served from JAR, measured in the same runs, for before-and-after figures.
# --peers picks the servers (and their order in each run): weft, blocking (the Weft demo on the
# blocking transport, a thread per connection: virtual threads on Java 21+), netty, jetty;
# --scenarios keeps the scenarios whose name matches the extended regular expression PATTERN;
# --java runs every JVM (servers and load) with another java, such as a JDK 25 for virtual threads;
# --load node drives the text echo scenarios with Node's ws client (benchmarks/node/echo-load.mjs;
# npm ci --prefix interop-tests/node first), a load generator that is not Weft: it reports no
# latency percentiles, and the scenarios it cannot run (binary, pipelined, compressed) are left out.
# Each scenario is warmed up by a bench run of its own; the measured run follows on fresh
# connections, and the server's CPU time over it (user + system, from /proc/PID/stat) divided by
# the messages echoed gives the server CPU per message. Prints a Markdown table per run and the medians over the runs; every figure also
# goes to FILE as tab-separated lines (default: benchmarks/target/compare.tsv).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD

RUNS=3
DURATION=10
WARMUP=3
IDLE=10000
BUILD=1
OUT=benchmarks/target/compare.tsv
BASELINE_JAR=
PEER_LIST="weft netty jetty"
SCENARIO_PATTERN=.
SERVER_THREADS=2
JAVA=java
LOAD=weft
# The same for every server: a fixed heap, so memory readings compare like with like.
JVM_FLAGS=${JVM_FLAGS:--Xms1g -Xmx1g -XX:+UseParallelGC}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --idle) IDLE=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --baseline) BASELINE_JAR=$(realpath "$2"); shift 2 ;;
    --peers) PEER_LIST=$2; shift 2 ;;
    --scenarios) SCENARIO_PATTERN=$2; shift 2 ;;
    --java) JAVA=$2; shift 2 ;;
    --load) LOAD=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

if [[ $BUILD == 1 ]]; then
  mvn -B -q -DskipTests package -pl cli,benchmarks -am >&2
fi
WEFT_JAR=${WEFT_JAR:-$ROOT/cli/target/weft.jar}
BENCH_JAR=$ROOT/benchmarks/target/benchmarks.jar
for jar in "$WEFT_JAR" "$BENCH_JAR"; do
  [[ -f $jar ]] || { echo "compare.sh: $jar is missing (run without --no-build)" >&2; exit 2; }
done

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The scenarios: name, then weft bench options.
SCENARIOS=(
  "echo 64 B x100|--connections 100 --size 64"
  "echo 4 KiB x100|--connections 100 --size 4096"
  "pipelined 64 B x10 k32|--connections 10 --size 64 --inflight 32"
  "echo 64 KiB x10|--connections 10 --size 65536 --binary"
  "deflate 4 KiB JSON x100|--connections 100 --size 4096 --extensions permessage-deflate"
)
read -r -a PEERS <<<"$PEER_LIST"
[[ -n $BASELINE_JAR ]] && PEERS=(baseline "${PEERS[@]}")

# Starts server $1 on an ephemeral port; sets SERVER_PID and URL.
start_server() {
  local log=$WORK/$1.out
  case "$1" in
    weft)  "$JAVA" $JVM_FLAGS -jar "$WEFT_JAR" serve --port 0 --threads $SERVER_THREADS >"$log" 2>"$WORK/$1.err" & ;;
    blocking) "$JAVA" $JVM_FLAGS -jar "$WEFT_JAR" serve --port 0 --transport blocking >"$log" 2>"$WORK/$1.err" & ;;
    baseline) "$JAVA" $JVM_FLAGS -jar "$BASELINE_JAR" serve --port 0 --threads $SERVER_THREADS >"$log" 2>"$WORK/$1.err" & ;;
    netty) "$JAVA" $JVM_FLAGS -cp "$BENCH_JAR" dev.weft.benchmarks.peers.NettyEchoServer --port 0 --threads $SERVER_THREADS >"$log" 2>"$WORK/$1.err" & ;;
    jetty) "$JAVA" $JVM_FLAGS -cp "$BENCH_JAR" dev.weft.benchmarks.peers.JettyEchoServer --port 0 --threads $SERVER_THREADS >"$log" 2>"$WORK/$1.err" & ;;
  esac
  SERVER_PID=$!
  local port=
  for _ in $(seq 1 300); do
    port=$(grep -Eo 'listening on (ws://)?127\.0\.0\.1:[0-9]+' "$log" 2>/dev/null | grep -Eo '[0-9]+$' || true)
    [[ -n $port ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/$1.err" >&2; echo "compare.sh: $1 did not start" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n $port ]] || { echo "compare.sh: $1 did not say where it listens" >&2; exit 1; }
  URL="ws://127.0.0.1:$port/echo"
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

# Resident memory of a process in kB.
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

json_field() { grep -Eo "\"$2\":[0-9.]+" <<<"$1" | head -1 | cut -d: -f2; }

mkdir -p "$(dirname "$OUT")"
# CPU time (user + system) of a process in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
TICKS_PER_SECOND=$(getconf CLK_TCK)

printf 'run\tscenario\tpeer\tmsg_per_s\tmb_per_s\tp50_us\tp99_us\terrors\tcpu_us_per_msg\n' >"$OUT"

for run in $(seq 1 "$RUNS"); do
  for peer in "${PEERS[@]}"; do
    start_server "$peer"
    for scenario in "${SCENARIOS[@]}"; do
      name=${scenario%%|*}
      opts=${scenario#*|}
      [[ $name =~ $SCENARIO_PATTERN ]] || continue
      if [[ $LOAD == node ]]; then
        [[ $opts =~ --(inflight|binary|extensions) ]] && continue
        connections=$(grep -Eo -- '--connections [0-9]+' <<<"$opts" | cut -d' ' -f2)
        size=$(grep -Eo -- '--size [0-9]+' <<<"$opts" | cut -d' ' -f2)
        node "$ROOT/benchmarks/node/echo-load.mjs" "$URL" "$connections" "$size" "$WARMUP" 0 >/dev/null 2>&1 || true
        ticks_before=$(cpu_ticks "$SERVER_PID")
        result=$(node "$ROOT/benchmarks/node/echo-load.mjs" "$URL" "$connections" "$size" "$DURATION" 0 2>/dev/null || true)
        ticks_after=$(cpu_ticks "$SERVER_PID")
      else
        # shellcheck disable=SC2086 # the options are meant to split
        "$JAVA" $JVM_FLAGS -jar "$WEFT_JAR" bench "$URL" $opts --duration "$WARMUP" --warmup 0 --json >/dev/null 2>&1 || true
        ticks_before=$(cpu_ticks "$SERVER_PID")
        # shellcheck disable=SC2086
        result=$("$JAVA" $JVM_FLAGS -jar "$WEFT_JAR" bench "$URL" $opts --duration "$DURATION" --warmup 0 --json 2>/dev/null || true)
        ticks_after=$(cpu_ticks "$SERVER_PID")
      fi
      if [[ -z $result ]]; then
        echo "compare.sh: run $run, $peer, $name produced no result" >&2
        continue
      fi
      messages=$(json_field "$result" messages)
      cpu_us=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$TICKS_PER_SECOND" -v m="$messages" \
        'BEGIN { printf "%.2f", (m > 0 ? t * 1e6 / hz / m : 0) }')
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$name" "$peer" \
        "$(json_field "$result" messagesPerSecond)" "$(json_field "$result" megabytesPerSecond)" \
        "$(json_field "$result" p50)" "$(json_field "$result" p99)" "$(json_field "$result" errors)" "$cpu_us" >>"$OUT"
      echo "run $run  $peer  $name: $(json_field "$result" messagesPerSecond) msg/s, p99 $(json_field "$result" p99) us, server CPU $cpu_us us/msg" >&2
    done
    stop_server
  done
done

# Idle connections. Each server runs with its heap pre-touched, so its resident memory grows only
# by what lives outside the heap (direct buffers, native memory, thread stacks); what the
# connections keep on the heap is read after a full GC. Their sum is the memory per connection.
heap_kb() {
  "$JCMD" "$1" GC.heap_info | awk '/PSYoungGen|ParOldGen/ {
    for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); sum += v } }
    END { print sum + 0 }'
}
JCMD=$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd
printf '\nidle\tpeer\tconnections\theap_bytes_each\toff_heap_bytes_each\tbytes_each\n' >>"$OUT"
BASE_FLAGS=$JVM_FLAGS
JVM_FLAGS="$BASE_FLAGS -XX:+AlwaysPreTouch"
(( IDLE > 0 )) && for peer in "${PEERS[@]}"; do
  start_server "$peer"
  "$JCMD" "$SERVER_PID" GC.run >/dev/null
  heap_before=$(heap_kb "$SERVER_PID")
  rss_before=$(rss_kb "$SERVER_PID")
  mkfifo "$WORK/hold"
  "$JAVA" $BASE_FLAGS -cp "$BENCH_JAR" dev.weft.benchmarks.peers.IdleClients "$URL" "$IDLE" <"$WORK/hold" >"$WORK/idle.out" 2>"$WORK/idle.err" &
  CLIENT_PID=$!
  exec 3>"$WORK/hold"
  for _ in $(seq 1 1200); do
    grep -q '^open' "$WORK/idle.out" 2>/dev/null && break
    kill -0 "$CLIENT_PID" 2>/dev/null || break
    sleep 0.1
  done
  opened=$(grep -Eo '^open [0-9]+' "$WORK/idle.out" | cut -d' ' -f2 || echo 0)
  "$JCMD" "$SERVER_PID" GC.run >/dev/null
  heap_after=$(heap_kb "$SERVER_PID")
  rss_after=$(rss_kb "$SERVER_PID")
  exec 3>&-
  wait "$CLIENT_PID" 2>/dev/null || true
  rm -f "$WORK/hold"
  heap_each=$(( opened > 0 ? (heap_after - heap_before) * 1024 / opened : 0 ))
  off_each=$(( opened > 0 ? (rss_after - rss_before) * 1024 / opened : 0 ))
  printf 'idle\t%s\t%s\t%s\t%s\t%s\n' "$peer" "$opened" "$heap_each" "$off_each" $(( heap_each + off_each )) >>"$OUT"
  echo "idle  $peer: $opened connections, heap $heap_each + off-heap $off_each bytes each" >&2
  stop_server
done
JVM_FLAGS=$BASE_FLAGS

# Medians over the runs, and Weft's ratio to each peer (from the medians).
awk -F'\t' '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i]; j = i - 1; while (j > 0 && a[j] + 0 > t + 0) { a[j + 1] = a[j]; j-- } a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  NR == 1 || $1 == "" { next }
  $1 == "idle" && $2 != "peer" { heap[$2] = $4; off[$2] = $5; idle[$2] = $6; iconn[$2] = $3; next }
  $1 == "idle" { next }
  { key = $2 SUBSEP $3; mps[key] = mps[key] " " $4; p99[key] = p99[key] " " $7; err[key] += $8; cpu[key] = cpu[key] " " $9
    if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } }
  END {
    others = ((order[1] SUBSEP "netty") in mps) || ((order[1] SUBSEP "jetty") in mps)
    if (others) {
    printf "| scenario | Weft msg/s | Netty msg/s | Jetty msg/s | Weft/Netty | Weft/Jetty | Weft p99 µs | Netty p99 µs | Jetty p99 µs | errors |\n"
    printf "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    for (i = 1; i <= n; i++) {
      s = order[i]
      w = median(mps[s SUBSEP "weft"]); nt = median(mps[s SUBSEP "netty"]); j = median(mps[s SUBSEP "jetty"])
      printf "| %s | %.0f | %.0f | %.0f | %.2f | %.2f | %.0f | %.0f | %.0f | %d |\n", s, w, nt, j,
        (nt > 0 ? w / nt : 0), (j > 0 ? w / j : 0),
        median(p99[s SUBSEP "weft"]), median(p99[s SUBSEP "netty"]), median(p99[s SUBSEP "jetty"]),
        err[s SUBSEP "weft"] + err[s SUBSEP "netty"] + err[s SUBSEP "jetty"]
    }
    printf "\n| scenario | Weft server CPU µs/msg | Netty | Jetty | Weft/Netty | Weft/Jetty |\n|---|---:|---:|---:|---:|---:|\n"
    for (i = 1; i <= n; i++) {
      s = order[i]
      w = median(cpu[s SUBSEP "weft"]); nt = median(cpu[s SUBSEP "netty"]); j = median(cpu[s SUBSEP "jetty"])
      printf "| %s | %.2f | %.2f | %.2f | %.2f | %.2f |\n", s, w, nt, j, (nt > 0 ? w / nt : 0), (j > 0 ? w / j : 0)
    }
    }
    if ((order[1] SUBSEP "baseline") in mps) {
      printf "\n| scenario | baseline msg/s | Weft msg/s | baseline server CPU µs/msg | Weft server CPU µs/msg | CPU Weft/baseline |\n|---|---:|---:|---:|---:|---:|\n"
      for (i = 1; i <= n; i++) {
        s = order[i]
        b = median(cpu[s SUBSEP "baseline"]); w = median(cpu[s SUBSEP "weft"])
        printf "| %s | %.0f | %.0f | %.2f | %.2f | %.2f |\n", s, median(mps[s SUBSEP "baseline"]), median(mps[s SUBSEP "weft"]), b, w, (b > 0 ? w / b : 0)
      }
    }
    if ((order[1] SUBSEP "blocking") in mps) {
      printf "\n| scenario | NIO msg/s | blocking msg/s | NIO server CPU µs/msg | blocking server CPU µs/msg | CPU blocking/NIO | NIO p99 µs | blocking p99 µs |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
      for (i = 1; i <= n; i++) {
        s = order[i]
        w = median(cpu[s SUBSEP "weft"]); b = median(cpu[s SUBSEP "blocking"])
        printf "| %s | %.0f | %.0f | %.2f | %.2f | %.2f | %.0f | %.0f |\n", s, median(mps[s SUBSEP "weft"]), median(mps[s SUBSEP "blocking"]),
          w, b, (w > 0 ? b / w : 0), median(p99[s SUBSEP "weft"]), median(p99[s SUBSEP "blocking"])
      }
    }
    if (iconn["blocking"] > 0) {
      printf "\n| bytes per idle connection (%d connections) | NIO | blocking |\n|---|---:|---:|\n", iconn["blocking"]
      printf "| heap, live after a full GC | %d | %d |\n", heap["weft"], heap["blocking"]
      printf "| off the heap (resident, heap pre-touched) | %d | %d |\n", off["weft"], off["blocking"]
      printf "| total | %d | %d |\n", idle["weft"], idle["blocking"]
    }
    if (iconn["netty"] + iconn["jetty"] > 0) {
      printf "\n| bytes per idle connection (%d connections) | Weft | Netty | Jetty |\n|---|---:|---:|---:|\n", iconn["weft"]
      printf "| heap, live after a full GC | %d | %d | %d |\n", heap["weft"], heap["netty"], heap["jetty"]
      printf "| off the heap (resident, heap pre-touched) | %d | %d | %d |\n", off["weft"], off["netty"], off["jetty"]
      printf "| total | %d | %d | %d |\n", idle["weft"], idle["netty"], idle["jetty"]
    }
  }' "$OUT"
