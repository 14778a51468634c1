#!/usr/bin/env bash
# Runs every libFuzzer harness of a build for a fixed number of executions on its committed corpus
# (tests/fuzz/corpus/<name>/). New inputs and crash artifacts go to a scratch folder, never into the corpus.
#   tests/fuzz/run_fuzz.sh FUZZ_BIN_DIR [RUNS] [extra libFuzzer flags...]
# FUZZ_JOBS harnesses run at a time (default: the number of CPUs). Exit status 1 when any harness finds a
# crash, a leak, a timeout or a broken invariant (its input is kept and its path printed).
# A harness whose one execution is a whole signal search runs RUNS / its divisor below (at least 1), so that
# the CI smoke run stays within minutes; FUZZ_UNSCALED=1 gives every harness RUNS (long runs).
set -uo pipefail
bin_dir="$1"
runs="${2:-20000}"
shift $(( $# >= 2 ? 2 : 1 ))
corpus_root="$(cd "$(dirname "$0")" && pwd)/corpus"
jobs="${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}"
work="$(mktemp -d "${TMPDIR:-/tmp}/towerwatch-fuzz.XXXXXX")"

declare -A runs_divisor=(
  [fuzz_lte_search]=40      # 5-30 exec/s under ASan (an LTE cell search over up to 40 ms per input)
  [fuzz_gsm_receiver]=4     # about 80 exec/s (the GSM receiver over up to 12 TDMA frames)
  [fuzz_lte_pdsch]=10       # 20-100 exec/s (a subframe of up to 110 PRB through PDCCH and turbo decoding)
  [fuzz_nr_polar]=4         # about 125 exec/s (two SCL-8 PBCH decodes per input)
)

run_one() {   # harness path; writes $work/<name>/result (ok/FAILED line)
  local h="$1" name corpus start execs n
  name="$(basename "$h")"
  n="$runs"
  if [ -z "${FUZZ_UNSCALED:-}" ] && [ -n "${runs_divisor[$name]:-}" ]; then
    n=$(( runs / runs_divisor[$name] ))
    [ "$n" -ge 1 ] || n=1
  fi
  corpus="$corpus_root/${name#fuzz_}"
  mkdir -p "$work/$name/new"
  if [ ! -d "$corpus" ]; then
    echo "run_fuzz: $name FAILED: no seed corpus $corpus" >"$work/$name/result"
    return
  fi
  start=$(date +%s)
  if "$h" -runs="$n" -seed=1 -timeout=25 -rss_limit_mb=1024 -print_final_stats=1 \
        -artifact_prefix="$work/$name/" "${extra[@]}" "$work/$name/new" "$corpus" >"$work/$name/log" 2>&1; then
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/$name/log" | grep -o '[0-9]*$')
    echo "run_fuzz: $name ok: ${execs:-?} executions in $(( $(date +%s) - start )) s" >"$work/$name/result"
  else
    { echo "run_fuzz: $name FAILED; log and input in $work/$name/:"
      grep -E 'ERROR|INVARIANT|SUMMARY|Test unit written' "$work/$name/log" | head -20; } >"$work/$name/result"
  fi
}

extra=("$@")
harnesses=()
for h in "$bin_dir"/fuzz_*; do [ -x "$h" ] && harnesses+=("$h"); done
if [ ${#harnesses[@]} -eq 0 ]; then
  echo "run_fuzz: no fuzz_* harness in $bin_dir" >&2
  exit 1
fi
running=0
for h in "${harnesses[@]}"; do
  run_one "$h" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait
failed=()
for h in "${harnesses[@]}"; do
  name="$(basename "$h")"
  cat "$work/$name/result"
  grep -q " ok: " "$work/$name/result" || failed+=("$name")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "run_fuzz: FAILED: ${failed[*]} (inputs kept in $work)" >&2
  exit 1
fi
rm -rf "$work"
exit 0
