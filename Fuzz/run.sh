#!/usr/bin/env bash
# Builds the fuzz binary (sanitized, in .build-fuzz) and runs every fuzz target for SECONDS
# seconds, two at a time (the machine has two cores), then prints per target the execs,
# exec/s, coverage (libFuzzer's cov and ft) and corpus size; with RESULTS, also writes them
# there as Markdown. Exits 1 when a target crashed, leaked, timed out or ran out of memory,
# naming the input that did it. `make fuzz` and `make test` call it (docs/fuzzing.md).
#
#   Fuzz/run.sh SECONDS [RESULTS.md]      FUZZ_TARGETS="npy npz" to run some, FUZZ_JOBS=1
set -uo pipefail
seconds=${1:?usage: Fuzz/run.sh SECONDS [RESULTS.md]}
results=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$root/.build-fuzz
targets=${FUZZ_TARGETS:-parser interpreter notebook safetensors npy npz llama2c tokenizer}
jobs=${FUZZ_JOBS:-2}
mkdir -p "$scratch"

started=$(date +%s)
# The commit the binary is built from, read now: commits made while it runs are not in it.
commit=$(git -C "$root" rev-parse --short HEAD)
dirty=$(git -C "$root" status --porcelain --untracked-files=no | grep -q . && echo " (with uncommitted changes)")
log=$scratch/fuzz-build.log
# SwiftPM caches the source lists of a path dependency: a file added to the root package
# would be missing from this build until the cached plan goes.
rm -f "$scratch/debug.yaml" "$scratch"/*/debug/description.json
(cd "$root/Fuzz" && ${SWIFT:-swift} build -c debug --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address \
   --product prunebook-fuzz) > "$log" 2>&1
status=$?
# ld.gold warns "Cannot export local symbol '__asan_…'" for every sanitized link: harmless.
warnings=$(grep -E "warning:" "$log" | grep -v "Cannot export local symbol" | grep -vE "^warning: '(swift-[a-z-]+|zipfoundation)'")
if [ $status -ne 0 ] || [ -n "$warnings" ]; then
  grep -E "error:|warning:" "$log" | grep -v "Cannot export local symbol" | head -20
  echo "fuzz build failed or has warnings (see $log)"; exit 1
fi
binary=$scratch/debug/prunebook-fuzz
echo "fuzz binary built in $(( $(date +%s) - started )) s; fuzzing $seconds s per target, $jobs at a time"

# One target: fresh seeds and artifacts, the corpus kept from earlier runs.
run_target() {
  local target=$1 dir=$scratch/fuzz/$1
  rm -rf "$dir/seeds" "$dir/artifacts" && mkdir -p "$dir/corpus" "$dir/seeds" "$dir/artifacts"
  "$root/Fuzz/seeds.sh" "$target" "$dir/seeds"
  # The interpreter leaks every frame a closure captures (a reference cycle, docs/fuzzing.md):
  # its target hunts crashes only until that is fixed.
  local asan=""
  [ "$target" = interpreter ] && asan=detect_leaks=0
  (cd "$dir" && ASAN_OPTIONS=$asan LSAN_OPTIONS=suppressions=$root/Fuzz/lsan.supp SWIFT_BACKTRACE=enable=no PRUNEBOOK_FUZZ_TARGET=$target \
     "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512 \
     -print_final_stats=1 -artifact_prefix="$dir/artifacts/" corpus seeds > log.txt 2>&1)
  echo $? > "$dir/status"
}

for target in $targets; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
  run_target "$target" &
done
wait

stat() { grep -E "^stat::$1:" "$2" | awk '{print $2}' | tail -1; }
table="| target | seconds | execs | exec/s | cov | ft | corpus | peak RSS MB | result |"$'\n'"|---|---:|---:|---:|---:|---:|---:|---:|---|"
failed=0
for target in $targets; do
  dir=$scratch/fuzz/$target; tlog=$dir/log.txt
  final=$(grep -E "^#[0-9]+.*cov: " "$tlog" | tail -1)
  cov=$(echo "$final" | sed -nE 's/.*cov: ([0-9]+).*/\1/p'); ft=$(echo "$final" | sed -nE 's/.* ft: ([0-9]+).*/\1/p')
  corp=$(echo "$final" | sed -nE 's/.* corp: ([0-9]+)\/.*/\1/p')
  result=ok
  if [ "$(cat "$dir/status")" != 0 ]; then
    failed=1
    artifact=$(ls "$dir"/artifacts/* 2>/dev/null | head -1)
    kind=$(grep -oE "SUMMARY: [A-Za-z]+: [a-z-]+( [a-z-]+)?" "$tlog" | head -1)
    result="FAILED (${kind:-exit $(cat "$dir/status")})"
    echo "fuzz target $target failed: ${kind:-exit status $(cat "$dir/status")}"
    grep -E "Fatal error|ERROR: |fuzz property violated" "$tlog" | head -5 | sed 's/^/  /'
    echo "  input: ${artifact:-none saved}"
    echo "  log:   $tlog"
    echo "  rerun: PRUNEBOOK_FUZZ_TARGET=$target SWIFT_BACKTRACE=enable=no $binary ${artifact:-INPUT}"
  fi
  table+=$'\n'"| $target | $seconds | $(stat number_of_executed_units "$tlog") | $(stat average_exec_per_sec "$tlog") | $cov | $ft | $corp | $(stat peak_rss_mb "$tlog") | $result |"
done
echo "$table"

if [ -n "$results" ]; then
  mkdir -p "$(dirname "$results")"
  cpu=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
  {
    echo "# Fuzz run $(date -u +%F) at $commit"
    echo
    echo "\`Fuzz/run.sh $seconds\`: $([ -n "${FUZZ_TARGETS:-}" ] && echo "targets $targets" || echo "every target") for $seconds s, $jobs at a time, corpus kept from earlier runs"
    echo "in .build-fuzz/fuzz/TARGET/corpus (docs/fuzzing.md)."
    echo
    echo "- date: $(date -u '+%F %H:%M UTC')"
    echo "- commit: $commit$dirty"
    echo "- machine: $(nproc) cores, $cpu, $(free -g | awk '/Mem:/ {print $2}') GB; $(${SWIFT:-swift} --version 2>&1 | head -1)"
    echo "- build: \`swift build -c debug -Xswiftc -sanitize=fuzzer,address\` (AddressSanitizer + LeakSanitizer)"
    echo
    echo "$table"
  } > "$results"
  echo "results written to $results"
fi
exit $failed
