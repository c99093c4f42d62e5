#!/usr/bin/env bash
# Runs the whole test suite N times in a row (default 5) while CPU-heavy processes keep
# every core busy, and stops at the first failure. A test that only passes on an idle
# machine is a flaky test: this is how we find them before CI does.
#
#   scripts/stress-tests.sh [N]
#
# Environment: LOAD_PROCS (busy processes beside the suite, default: one per core),
# CI (default true: PostgreSQL and Chromium tests run instead of being skipped),
# STRESS_LOGS (where each run's output goes, default a fresh folder under /tmp).
set -euo pipefail

cd "$(dirname "$0")/.."
runs=${1:-5}
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [number of runs, at least 1]" >&2
  exit 2
fi
export CI=${CI:-true}
load_procs=${LOAD_PROCS:-$(nproc)}
logs=${STRESS_LOGS:-$(mktemp -d /tmp/commune-stress.XXXXXX)}
mkdir -p "$logs"

# The load: one busy loop per core, stopped (by their own pids) however this script ends.
hogs=()
stop_hogs() {
  for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${hogs[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_hogs EXIT
trap 'exit 130' INT TERM
for ((i = 0; i < load_procs; i += 1)); do
  yes >/dev/null &
  hogs+=("$!")
done
echo "stress: ${runs} run(s) of the whole suite beside ${load_procs} busy process(es); logs in ${logs}"

started=$SECONDS
for ((run = 1; run <= runs; run += 1)); do
  log="${logs}/run-${run}.log"
  run_started=$SECONDS
  if npm test >"$log" 2>&1; then
    echo "run ${run}/${runs}: passed in $((SECONDS - run_started)) s"
  else
    echo "run ${run}/${runs}: FAILED after $((SECONDS - run_started)) s; the failures:" >&2
    # The spec reporter marks failures with ✖, the TAP reporter with "not ok".
    grep -E '✖|^\s*not ok' "$log" | head -40 >&2 || true
    echo "whole output: ${log}" >&2
    exit 1
  fi
done
echo "stress: all ${runs} run(s) passed in $((SECONDS - started)) s"
