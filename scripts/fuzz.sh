#!/usr/bin/env bash
# Fuzzes Weft's Jazzer targets (docs/fuzzing.md), one target per JVM, one after another.
#
#   scripts/fuzz.sh list                       the targets, as Class#method
#   scripts/fuzz.sh TARGET MINUTES [mvn args]  fuzz one target: Class#method, or a Class with one target
#   scripts/fuzz.sh all MINUTES [mvn args]     fuzz every target in turn for MINUTES each
#
# New coverage-increasing inputs go to <module>/.cifuzz-corpus/ (not committed); a finding is
# written to the target's committed inputs directory under src/test/resources, where
# `mvn verify` replays it from then on. Each run's log is <module>/target/fuzz-<Class>-<method>.log.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# Every target as "module Class#method", from the @FuzzTest methods in the test sources.
targets() {
  grep -rl --include='*FuzzTest.java' '@FuzzTest' -- */src/test/java | sort | while read -r file; do
    module=${file%%/src/test/java/*}
    class=$(basename "$file" .java)
    grep -A2 '@FuzzTest' "$file" | grep -o 'void [A-Za-z0-9_]*(' | sed 's/void \(.*\)(/\1/' |
      while read -r method; do echo "$module $class#$method"; done
  done
}

fuzz_one() {
  local module=$1 test=$2 minutes=$3
  shift 3
  local log="$module/target/fuzz-${test/\#/-}.log"
  mkdir -p "$module/target"
  echo "fuzzing $test ($module) for $minutes min; log: $log"
  local status=0
  nice -n 15 mvn -B -Pfuzz -Dfuzz.duration="${minutes}m" -pl "$module" -am test \
    -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false "$@" >"$log" 2>&1 || status=$?
  grep -E '^Done [0-9]+ runs|^#[0-9]+ *DONE' "$log" || true
  if [ "$status" -ne 0 ]; then
    echo "  FAILED (a finding or a build error): see $log" >&2
  fi
  return "$status"
}

[ $# -ge 1 ] || usage
case "$1" in
  list)
    targets | cut -d' ' -f2
    ;;
  all)
    [ $# -ge 2 ] || usage
    minutes=$2
    shift 2
    failed=0
    while read -r module test; do
      fuzz_one "$module" "$test" "$minutes" "$@" </dev/null || failed=1
    done < <(targets)
    exit "$failed"
    ;;
  *)
    [ $# -ge 2 ] || usage
    want=$1 minutes=$2
    shift 2
    matches=$(targets | awk -v w="$want" '{ split($2, p, "#"); if ($2 == w || p[1] == w) print }')
    if [ -z "$matches" ]; then
      echo "no fuzz target $want; see scripts/fuzz.sh list" >&2
      exit 2
    fi
    if [ "$(echo "$matches" | wc -l)" -ne 1 ]; then
      echo "$want has several targets; name one as Class#method:" >&2
      echo "$matches" | cut -d' ' -f2 >&2
      exit 2
    fi
    read -r module test <<<"$matches"
    fuzz_one "$module" "$test" "$minutes" "$@"
    ;;
esac
