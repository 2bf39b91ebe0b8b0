#!/usr/bin/env bash
# Side-by-side: the Weft demo server, a Netty echo server, a Jetty echo server and Node's ws, each
# in its own process (the JVMs with the same flags), measured with the same scenarios in one run,
# then each holding the same number of idle connections for a resident-memory reading.
#
#   benchmarks/compare.sh [--runs N] [--duration S] [--warmup S] [--idle N] [--out FILE] [--baseline JAR]
#                         [--peers "weft netty jetty node"] [--scenarios PATTERN] [--java PATH]
#                         [--load "weft node"] [--processes N] [--no-build]
#
# --runs N        measured runs (default 3); the tables give the medians over them
# --duration S    seconds of each measured run (default 10); --warmup S, of the warm-up run before it (3)
# --idle N        idle connections for the memory reading (default 10000; 0 skips it)
# --out FILE      every figure as tab-separated lines (default benchmarks/target/compare.tsv)
# --peers LIST    the servers, in the order each run starts them: weft (weft serve, NIO), blocking
#                 (weft serve on the blocking transport, a thread per connection: virtual threads on
#                 Java 21+), netty (Netty 4.2), jetty (Jetty 12), node (Node's ws,
#                 benchmarks/node/echo-server.mjs); default "weft netty jetty"
# --baseline JAR  adds a server: an earlier Weft build served from JAR, for before-and-after figures
# --scenarios P   keeps the scenarios whose name matches the extended regular expression P
# --java PATH     runs every JVM (servers and the weft load) with another java, such as a JDK 25
# --load LIST     the load generators, each driving every scenario against every server: weft
#                 (weft bench) and node (Node's ws client, benchmarks/node/echo-load.mjs, a load
#                 generator that is not Weft; every echo checked byte for byte); default weft
# --processes N   Node load processes sharing a scenario's connections (default 2)
# --no-build      uses the jars as they are; WEFT_JAR names another Weft jar to serve
#
# node and --load node need ws: npm ci --prefix interop-tests/node first (NODE names another node).
# Builds what it needs (cli/target/weft.jar, benchmarks/target/benchmarks.jar) unless --no-build.
# Each scenario is warmed up by a run of the first load; the measured runs, one per load, follow on
# fresh connections, and the server's CPU time over it (user + system, from /proc/PID/stat) divided by
# the messages echoed gives the server CPU per message; the load's own CPU time (its share of the
# cores over the run, start-up included) says whether the load rather than the server was the
# limit. Prints, per load, the medians over the runs with Weft's ratio to each peer and their
# geometric mean over the scenarios; every figure also goes to FILE.
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
NODE=${NODE:-node}
LOAD_LIST=weft
PROCESSES=2
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
    --load) LOAD_LIST=$2; shift 2 ;;
    --processes) PROCESSES=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

read -r -a PEERS <<<"$PEER_LIST"
[[ -n $BASELINE_JAR ]] && PEERS=(baseline "${PEERS[@]}")
read -r -a LOADS <<<"$LOAD_LIST"
for load in "${LOADS[@]}"; do
  [[ $load == weft || $load == node ]] || { echo "compare.sh: unknown load $load (weft, node)" >&2; exit 2; }
done
for peer in "${PEERS[@]}"; do
  [[ $peer =~ ^(weft|blocking|baseline|netty|jetty|node)$ ]] || { echo "compare.sh: unknown peer $peer" >&2; exit 2; }
done
if [[ " ${PEERS[*]} ${LOADS[*]} " == *" node "* && ! -d $ROOT/interop-tests/node/node_modules/ws ]]; then
  echo "compare.sh: Node's ws is missing: npm ci --prefix interop-tests/node" >&2
  exit 2
fi

if [[ $BUILD == 1 ]]; then
  mvn -B -q -DskipTests package -pl cli,benchmarks -am >&2
fi
WEFT_JAR=${WEFT_JAR:-$ROOT/cli/target/weft.jar}
BENCH_JAR=$ROOT/benchmarks/target/benchmarks.jar
for jar in "$WEFT_JAR" "$BENCH_JAR"; do
  [[ -f $jar ]] || { echo "compare.sh: $jar is missing (run without --no-build)" >&2; exit 2; }
done

# The JVMs raise their open-file limit to the hard limit by themselves; Node does not, and --idle
# holds thousands of connections open.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The scenarios: name, then weft bench options. The Node load takes the same options, with
# --deflate for --extensions permessage-deflate.
SCENARIOS=(
  "echo 64 B x100|--connections 100 --size 64"
  "echo 4 KiB x100|--connections 100 --size 4096"
  "pipelined 64 B x10 k32|--connections 10 --size 64 --inflight 32"
  "echo 64 KiB x10|--connections 10 --size 65536 --binary"
  "deflate 4 KiB JSON x100|--connections 100 --size 4096 --extensions permessage-deflate"
)

# Starts server $1 on an ephemeral port; sets SERVER_PID and URL.
start_server() {
  local log=$WORK/$1.out
  case "$1" in
    weft)  "$JAVA" $JVM_FLAGS -jar "$WEFT_JAR" serve --port 0 --threads $SERVER_THREADS >"$log" 2>"$WORK/$1.err" & ;;
    blocking) "$JAVA" $JVM_FLAGS -jar "$WEFT_JAR" serve --port 0 --transport blocking >"$log" 2>"$WORK/$1.err" & ;;
    baseline) "$JAVA" $JVM_FLAGS -jar "$BASELINE_JAR" serve --port 0 --threads $SERVER_THREADS >"$log" 2>"$WORK/$1.err" & ;;
    netty) "$JAVA" $JVM_FLAGS -cp "$BENCH_JAR" dev.weft.benchmarks.peers.NettyEchoServer --port 0 --threads $SERVER_THREADS >"$log" 2>"$WORK/$1.err" & ;;
    jetty) "$JAVA" $JVM_FLAGS -cp "$BENCH_JAR" dev.weft.benchmarks.peers.JettyEchoServer --port 0 --threads $SERVER_THREADS >"$log" 2>"$WORK/$1.err" & ;;
    node)  "$NODE" "$ROOT/benchmarks/node/echo-server.mjs" --port 0 >"$log" 2>"$WORK/$1.err" & ;;
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

# Runs load $1 with scenario options $2 for $3 seconds against URL; prints its JSON result, its
# errors going to $WORK/load.err.
run_load() {
  if [[ $1 == node ]]; then
    # shellcheck disable=SC2086 # the options are meant to split
    "$NODE" "$ROOT/benchmarks/node/echo-load.mjs" "$URL" ${2/--extensions permessage-deflate/--deflate} \
      --duration "$3" --processes "$PROCESSES" 2>"$WORK/load.err"
  else
    # shellcheck disable=SC2086
    "$JAVA" $JVM_FLAGS -jar "$WEFT_JAR" bench "$URL" $2 --duration "$3" --warmup 0 --json 2>"$WORK/load.err"
  fi
}

# Resident memory of a process in kB.
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

json_field() { grep -Eo "\"$2\":[0-9.]+" <<<"$1" | head -1 | cut -d: -f2; }

# CPU time (user + system) of a process in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
TICKS_PER_SECOND=$(getconf CLK_TCK)
# Sets CHILDREN_CPU to the CPU seconds (user + system) of this shell's children that have ended,
# such as a load run. `times` must run in this shell: a subshell has no children of its own yet.
children_cpu() {
  times >"$WORK/times"
  CHILDREN_CPU=$(awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); sum += t[1] * 60 + t[2] } print sum }' "$WORK/times")
}

mkdir -p "$(dirname "$OUT")"
printf 'run\tload\tscenario\tpeer\tmsg_per_s\tmb_per_s\tp50_us\tp99_us\terrors\tcpu_us_per_msg\tload_cpu_percent\n' >"$OUT"
FAILED=0

for run in $(seq 1 "$RUNS"); do
  for peer in "${PEERS[@]}"; do
    start_server "$peer"
    for scenario in "${SCENARIOS[@]}"; do
      name=${scenario%%|*}
      opts=${scenario#*|}
      [[ $name =~ $SCENARIO_PATTERN ]] || continue
      # The warm-up is the server's: once per scenario, with the first load.
      run_load "${LOADS[0]}" "$opts" "$WARMUP" >/dev/null || true
      for load in "${LOADS[@]}"; do
        ticks_before=$(cpu_ticks "$SERVER_PID")
        children_cpu
        load_cpu_before=$CHILDREN_CPU
        result=$(run_load "$load" "$opts" "$DURATION") || true  # a run with errors still reports them
        children_cpu
        load_cpu_after=$CHILDREN_CPU
        ticks_after=$(cpu_ticks "$SERVER_PID")
        if [[ -z $result ]]; then
          echo "compare.sh: run $run, load $load, $peer, $name produced no result:" >&2
          sed 's/^/    /' "$WORK/load.err" >&2
          FAILED=$((FAILED + 1))
          continue
        fi
        # A compressed scenario that ran uncompressed would compare the wrong thing.
        if [[ $opts == *permessage-deflate* && $result != *'"extensions":["permessage-deflate'* ]]; then
          echo "compare.sh: run $run, load $load, $peer, $name: permessage-deflate was not agreed: $result" >&2
          FAILED=$((FAILED + 1))
          continue
        fi
        messages=$(json_field "$result" messages)
        cpu_us=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$TICKS_PER_SECOND" -v m="$messages" \
          'BEGIN { printf "%.2f", (m > 0 ? t * 1e6 / hz / m : 0) }')
        load_cpu=$(awk -v a="$load_cpu_before" -v b="$load_cpu_after" -v d="$DURATION" 'BEGIN { printf "%.0f", (b - a) * 100 / d }')
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$load" "$name" "$peer" \
          "$(json_field "$result" messagesPerSecond)" "$(json_field "$result" megabytesPerSecond)" \
          "$(json_field "$result" p50)" "$(json_field "$result" p99)" "$(json_field "$result" errors)" "$cpu_us" \
          "$load_cpu" >>"$OUT"
        echo "run $run  $load load  $peer  $name: $(json_field "$result" messagesPerSecond) msg/s," \
          "p99 $(json_field "$result" p99) us, server CPU $cpu_us us/msg, load CPU $load_cpu%," \
          "errors $(json_field "$result" errors)$(grep -Eo '"extensions":\["[^]]+\]' <<<"$result" | sed 's/^/, /' || true)" >&2
      done
    done
    stop_server
  done
done

# Idle connections. Each JVM server runs with its heap pre-touched, so its resident memory grows
# only by what lives outside the heap (direct buffers, native memory, thread stacks); what the
# connections keep on the heap is read after a full GC. Their sum is the memory per connection.
# Node has no Java heap: all its resident growth (its V8 heap, not collected first, included) is
# in the off-heap figure, and its heap is n/a.
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
  jvm=1
  [[ $peer == node ]] && jvm=0
  if (( jvm )); then "$JCMD" "$SERVER_PID" GC.run >/dev/null; heap_before=$(heap_kb "$SERVER_PID"); fi
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
  if (( jvm )); then "$JCMD" "$SERVER_PID" GC.run >/dev/null; heap_after=$(heap_kb "$SERVER_PID"); fi
  rss_after=$(rss_kb "$SERVER_PID")
  exec 3>&-
  wait "$CLIENT_PID" 2>/dev/null || true
  rm -f "$WORK/hold"
  off_each=$(( opened > 0 ? (rss_after - rss_before) * 1024 / opened : 0 ))
  if (( jvm )); then
    heap_each=$(( opened > 0 ? (heap_after - heap_before) * 1024 / opened : 0 ))
    total_each=$(( heap_each + off_each ))
  else
    heap_each=n/a
    total_each=$off_each
  fi
  printf 'idle\t%s\t%s\t%s\t%s\t%s\n' "$peer" "$opened" "$heap_each" "$off_each" "$total_each" >>"$OUT"
  echo "idle  $peer: $opened connections, heap $heap_each + off-heap $off_each bytes each" >&2
  stop_server
done
JVM_FLAGS=$BASE_FLAGS

# Per load: medians over the runs, Weft's ratio to each peer (from the medians) and the geometric
# mean of each ratio over the scenarios; then the memory per idle connection.
awk -F'\t' -v peers="${PEERS[*]}" -v loads="${LOADS[*]}" -v processes="$PROCESSES" '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i]; j = i - 1; while (j > 0 && a[j] + 0 > t + 0) { a[j + 1] = a[j]; j-- } a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function title(p) { return p == "weft" ? "Weft" : p == "netty" ? "Netty" : p == "jetty" ? "Jetty" : p == "node" ? "Node" : p }
  function med(field, s, p) { return median(field[ld SUBSEP s SUBSEP p]) }
  function empties(k,   row) { row = ""; while (k-- > 0) row = row "| "; return row }
  # One ratio cell, a / b; adds its logarithm to the geometric mean of column c.
  function ratio(a, b, c) {
    if (a <= 0 || b <= 0) return "| – "
    logs[c] += log(a / b); count[c]++
    return sprintf("| %.2f ", a / b)
  }
  function geomeans(k,   c, row) {
    row = ""
    for (c = 1; c <= k; c++) row = row (count[c] ? sprintf("| **%.2f** ", exp(logs[c] / count[c])) : "| – ")
    delete logs; delete count
    return row
  }
  # Weft against the reference peers that ran with load ld: msg/s, then server CPU per message.
  function reference_tables(   r, i, s, w, row, e, lc) {
    printf "\n| scenario | Weft msg/s "
    for (r = 1; r <= nr; r++) printf "| %s msg/s ", title(R[r])
    for (r = 1; r <= nr; r++) printf "| Weft/%s ", title(R[r])
    printf "| Weft p99 µs "
    for (r = 1; r <= nr; r++) printf "| %s p99 µs ", title(R[r])
    printf "| errors | load CPU %% (Weft"
    for (r = 1; r <= nr; r++) printf "/%s", title(R[r])
    printf ") |\n|---%s\n", rule(3 * nr + 4)
    for (i = 1; i <= n[ld]; i++) {
      s = order[ld SUBSEP i]; w = med(mps, s, "weft"); e = err[ld SUBSEP s SUBSEP "weft"]
      row = sprintf("| %s | %.0f ", s, w)
      for (r = 1; r <= nr; r++) { row = row sprintf("| %.0f ", med(mps, s, R[r])); e += err[ld SUBSEP s SUBSEP R[r]] }
      for (r = 1; r <= nr; r++) row = row ratio(w, med(mps, s, R[r]), r)
      row = row sprintf("| %.0f ", med(p99, s, "weft")); lc = med(lcpu, s, "weft")
      for (r = 1; r <= nr; r++) { row = row sprintf("| %.0f ", med(p99, s, R[r])); lc = lc "/" med(lcpu, s, R[r]) }
      printf "%s| %d | %s |\n", row, e, lc
    }
    printf "| geometric mean %s%s%s|\n", empties(nr + 1), geomeans(nr), empties(nr + 3)

    printf "\n| scenario | Weft server CPU µs/msg "
    for (r = 1; r <= nr; r++) printf "| %s ", title(R[r])
    for (r = 1; r <= nr; r++) printf "| Weft/%s ", title(R[r])
    printf "|\n|---|---:%s\n", rule(2 * nr)
    for (i = 1; i <= n[ld]; i++) {
      s = order[ld SUBSEP i]; w = med(cpu, s, "weft"); row = sprintf("| %s | %.2f ", s, w)
      for (r = 1; r <= nr; r++) row = row sprintf("| %.2f ", med(cpu, s, R[r]))
      for (r = 1; r <= nr; r++) row = row ratio(w, med(cpu, s, R[r]), r)
      printf "%s|\n", row
    }
    printf "| geometric mean %s%s|\n", empties(nr + 1), geomeans(nr)
  }
  function rule(k,   row) { row = ""; while (k-- > 0) row = row "|---:"; return row "|" }
  NR == 1 || $1 == "" { next }
  $1 == "idle" && $2 != "peer" { heap[$2] = $4; off[$2] = $5; idle[$2] = $6; iconn[$2] = $3; next }
  $1 == "idle" { next }
  { key = $2 SUBSEP $3 SUBSEP $4; mps[key] = mps[key] " " $5; p99[key] = p99[key] " " $8; err[key] += $9
    cpu[key] = cpu[key] " " $10; lcpu[key] = lcpu[key] " " $11; ran[$2 SUBSEP $4] = 1
    if (!(($2 SUBSEP $3) in seen)) { seen[$2 SUBSEP $3] = 1; order[$2 SUBSEP (++n[$2])] = $3 } }
  END {
    np = split(peers, P, " "); nl = split(loads, L, " ")
    for (l = 1; l <= nl; l++) {
      ld = L[l]
      nr = 0
      for (i = 1; i <= np; i++) if (P[i] ~ /^(netty|jetty|node)$/ && ((ld SUBSEP P[i]) in ran)) R[++nr] = P[i]
      if (!(ld in n) || !((nr > 0 && ((ld SUBSEP "weft") in ran)) || ((ld SUBSEP "baseline") in ran) || ((ld SUBSEP "blocking") in ran))) continue
      printf "\n### Load: %s\n", ld == "weft" ? "weft bench" : "Node ws client (benchmarks/node/echo-load.mjs, " processes " processes)"
      if (nr > 0 && ((ld SUBSEP "weft") in ran)) reference_tables()
      if ((ld SUBSEP "baseline") in ran) {
        printf "\n| scenario | baseline msg/s | Weft msg/s | baseline server CPU µs/msg | Weft server CPU µs/msg | CPU Weft/baseline |\n|---|---:|---:|---:|---:|---:|\n"
        for (i = 1; i <= n[ld]; i++) {
          s = order[ld SUBSEP i]; b = med(cpu, s, "baseline"); w = med(cpu, s, "weft")
          printf "| %s | %.0f | %.0f | %.2f | %.2f | %.2f |\n", s, med(mps, s, "baseline"), med(mps, s, "weft"), b, w, (b > 0 ? w / b : 0)
        }
      }
      if ((ld SUBSEP "blocking") in ran) {
        printf "\n| scenario | NIO msg/s | blocking msg/s | NIO server CPU µs/msg | blocking server CPU µs/msg | CPU blocking/NIO | NIO p99 µs | blocking p99 µs |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
        for (i = 1; i <= n[ld]; i++) {
          s = order[ld SUBSEP i]; w = med(cpu, s, "weft"); b = med(cpu, s, "blocking")
          printf "| %s | %.0f | %.0f | %.2f | %.2f | %.2f | %.0f | %.0f |\n", s, med(mps, s, "weft"), med(mps, s, "blocking"),
            w, b, (w > 0 ? b / w : 0), med(p99, s, "weft"), med(p99, s, "blocking")
        }
      }
    }
    # Memory per idle connection, every server that held them, in the order they ran.
    k = 0
    for (i = 1; i <= np; i++) if (P[i] in iconn) M[++k] = P[i]
    if (k > 0) {
      printf "\n| bytes per idle connection (%d connections) ", iconn[M[1]]
      for (i = 1; i <= k; i++) printf "| %s ", (M[i] == "weft" && ("blocking" in iconn) ? "Weft NIO" : title(M[i]))
      printf "|\n|---%s\n", rule(k)
      printf "| heap, live after a full GC "; for (i = 1; i <= k; i++) printf "| %s ", heap[M[i]]; print "|"
      printf "| off the heap (resident growth, heap pre-touched; Node: all of it) "; for (i = 1; i <= k; i++) printf "| %s ", off[M[i]]; print "|"
      printf "| total "; for (i = 1; i <= k; i++) printf "| %s ", idle[M[i]]; print "|"
    }
  }' "$OUT"

if (( FAILED > 0 )); then
  echo "compare.sh: $FAILED measured runs failed (see above); their figures are missing from the tables" >&2
  exit 1
fi
