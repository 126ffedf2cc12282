#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 60) each, two at a time, starting from
# fuzz/corpus/<target> and writing new inputs to a scratch corpus; then merges what
# adds coverage back into fuzz/corpus/<target> (kept small: inputs up to 2 KB, the seeds
# and the 40 largest inputs found).
# Prints executions and crashes per target; crash inputs are left in build/fuzz/crashes.
# Build first: CC=clang CXX=clang++ cmake -S . -B build/fuzz -DKOBUN_FUZZ=ON -DKOBUN_TESTS=OFF
#              cmake --build build/fuzz --target fuzz_decode fuzz_normalize fuzz_dates ...
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
bin=build/fuzz/fuzz
out=build/fuzz/runs
mkdir -p "$out" build/fuzz/crashes
targets=(fuzz_decode fuzz_normalize fuzz_dates fuzz_municipalities fuzz_tables fuzz_projects fuzz_agreements)
one() {
  local t=$1 scratch=$out/$1
  mkdir -p "$scratch"
  "$bin/$t" -max_total_time="$seconds" -max_len=2048 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix=build/fuzz/crashes/"$t"- "$scratch" "fuzz/corpus/$t" >"$out/$t.log" 2>&1
  "$bin/$t" -merge=1 -max_len=2048 "fuzz/corpus/$t" "$scratch" >>"$out/$t.merge.log" 2>&1
  # Keep the repository's corpus small: the named seeds and the 40 largest found inputs.
  ls -S "fuzz/corpus/$t" | grep -E '^[0-9a-f]{40}$' | tail -n +41 | while read -r f; do rm "fuzz/corpus/$t/$f"; done
  local runs crashes
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$out/$t.log" | awk '{print $2}')
  crashes=$(ls build/fuzz/crashes/"$t"-* 2>/dev/null | wc -l)
  echo "$t: ${runs:-?} executions, $crashes crash inputs"
}
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  one "${targets[i]}" &
  [ $((i + 1)) -lt ${#targets[@]} ] && one "${targets[i + 1]}" &
  wait
done
