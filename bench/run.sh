#!/usr/bin/env bash
# Prunebook benchmarks against their peers (C/OpenBLAS, NumPy, CPython, Lua 5.4).
# Run from anywhere: `bash bench/run.sh [GROUP...]` (or `make bench [BENCH_GROUPS="..."]`).
# Prints the table and writes bench/results/<YYYY-MM-DD>-<short commit>.md, or
# ...-<commit>-<groups>.md when only some groups run. Groups: matmul tiny interpreter
# sparsegpt tsenor sparse llama (default: all). See bench/README.md.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
PYTHON=/usr/bin/python3
LUA=lua5.4
SCRATCH="$ROOT/.build-release"     # separate from .build so debug builds never wait on us
TMP="$BENCH/results/tmp"           # gitignored
TIMEOUT=900                        # seconds per program
TORCH_VENV="$BENCH/.venv-torch"    # gitignored; PyPI's torch for the train row's peer
# The model and text of the LLaMA rows (as the Makefile sets it: shared/data beside the repo).
export PRUNEBOOK_DATA="${PRUNEBOOK_DATA:-$(dirname "$ROOT")/shared/data}"
LLAMA_FILES="stories260K.bin tok512.bin tinystories_val.txt stories260K_reference.json"
LLAMA_MISSING=""                   # set by the llama group

die() { echo "bench: $*" >&2; exit 1; }

ALL_GROUPS="matmul tiny interpreter sparsegpt tsenor sparse llama"
SELECTED="$*"
for group in $SELECTED; do
  [[ " $ALL_GROUPS " == *" $group "* ]] || die "unknown group \`$group\` (groups: $ALL_GROUPS)"
done
# want GROUP: true when GROUP is to be measured.
want() { [ -z "$SELECTED" ] || [[ " $SELECTED " == *" $1 "* ]]; }

# --- Peers present? (`make bench` installs them; a bare run.sh only checks.) ---------------
command -v "$LUA" >/dev/null || die "lua5.4 is missing: run \`make bench\` or \`sudo apt-get install lua5.4\`"
[ -x "$PYTHON" ] || die "$PYTHON is missing: install Debian's python3"
"$PYTHON" -c "import numpy" 2>/dev/null || die "numpy is missing for $PYTHON: run \`make bench\` or \`sudo apt-get install python3-numpy\`"
"$PYTHON" -c "import scipy" 2>/dev/null || die "scipy is missing for $PYTHON: run \`make bench\` or \`sudo apt-get install python3-scipy\`"
command -v swift >/dev/null || die "swift is missing from PATH"
command -v gcc >/dev/null || die "gcc is missing: \`sudo apt-get install gcc\`"
pkg-config --exists openblas 2>/dev/null || die "OpenBLAS is missing: run \`make deps\` (libopenblas-dev, pkg-config)"

rm -rf "$TMP" && mkdir -p "$TMP"
MEASUREMENTS="$TMP/measurements.tsv"
META="$TMP/meta.tsv"
: >"$MEASUREMENTS"

# --- Build ---------------------------------------------------------------------------------
echo "building prunebook (release, $SCRATCH) ..."
(cd "$ROOT" && swift build -c release --product prunebook --scratch-path "$SCRATCH") >"$TMP/build.log" 2>&1 ||
  { tail -40 "$TMP/build.log" >&2; die "release build failed (log: $TMP/build.log)"; }
PRUNEBOOK="$(cd "$ROOT" && swift build -c release --product prunebook --scratch-path "$SCRATCH" --show-bin-path)/prunebook"
[ -x "$PRUNEBOOK" ] || die "no binary at $PRUNEBOOK"

echo "compiling peers/sgemm.c ..."
mkdir -p "$BENCH/.build"
SGEMM="$BENCH/.build/sgemm"
# shellcheck disable=SC2046  # pkg-config's flags must split
gcc -O2 -o "$SGEMM" "$BENCH/peers/sgemm.c" $(pkg-config --cflags --libs openblas)

# --- Measure -------------------------------------------------------------------------------
# measure KEYS COMMAND...: runs COMMAND once. With one key, appends one `KEY<TAB>seconds` line
# per number it prints (report.py takes the median); with several keys (space-separated, for
# a program that times two things in the same run) its i-th line goes to the i-th key and it
# must print exactly one line per key. `KEY<TAB>error` for every key if it fails or prints
# no number (or the wrong count of them).
FAILED=0
measure() {
  local keys
  read -r -a keys <<<"$1"; shift
  printf '  %-26s' "${keys[*]}"
  local out
  if out="$(timeout "$TIMEOUT" "$@" 2>"$TMP/${keys[0]}.err")" &&
     [ -n "$out" ] && ! grep -qvE '^[0-9.eE+-]+$' <<<"$out" &&
     { [ "${#keys[@]}" = 1 ] || [ "$(wc -l <<<"$out")" = "${#keys[@]}" ]; }; then
    local i=0
    while read -r seconds; do
      printf '%s\t%s\n' "${keys[$i]}" "$seconds" >>"$MEASUREMENTS"
      [ "${#keys[@]}" = 1 ] || i=$((i + 1))
    done <<<"$out"
    echo "${out//$'\n'/ }"
  else
    for key in "${keys[@]}"; do printf '%s\terror\n' "$key" >>"$MEASUREMENTS"; done
    FAILED=1
    echo "FAILED"; sed 's/^/      /' "$TMP/${keys[0]}.err" | head -8
    [ -z "$out" ] || echo "      output: $out"
  fi
}

echo "measuring (medians of 5; this takes a few minutes) ..."
LOAD_BEFORE="$(cut -d" " -f1-3 /proc/loadavg)"
if want matmul; then
  for n in 1024 4096; do
    measure "matmul_$n.prunebook" "$PRUNEBOOK" run "$BENCH/programs/matmul_$n.prb"
    measure "matmul_$n.c"         "$SGEMM" "$n"
  done
fi
if want tiny; then
  # Tiny tensor ops (4-element add, 4×4 matmul, one-row slice), per op, one line each.
  measure "tiny_add.prunebook tiny_matmul.prunebook tiny_slice.prunebook" "$PRUNEBOOK" run "$BENCH/programs/tiny_ops.prb"
  measure "tiny_add.numpy tiny_matmul.numpy tiny_slice.numpy"             "$PYTHON" "$BENCH/peers/tiny_ops.py"
fi
if want interpreter; then
  for b in fib loop nested strings fields appends; do
    measure "$b.prunebook" "$PRUNEBOOK" run "$BENCH/programs/$b.prb"
    measure "$b.python"    "$PYTHON" "$BENCH/peers/$b.py"
    measure "$b.lua"       "$LUA" "$BENCH/peers/$b.lua"
  done
fi
if want sparsegpt; then
  # SparseGPT on a 4096x4096 layer at 50% (each side makes its own random layer and Gram, untimed).
  measure sparsegpt_4096.prunebook "$PRUNEBOOK" run "$BENCH/programs/sparsegpt_4096.prb"
  measure sparsegpt_4096.numpy     "$PYTHON" "$BENCH/peers/sparsegpt_numpy.py" bench --size 4096 --reps 3
fi
if want tsenor; then
  # TSENOR (transposable n:m, 100 Dykstra iterations) on 4096x4096 |N(0, 1)| scores at 2:4 and 8:16.
  for pattern in "2 4" "8 16"; do
    read -r n m <<<"$pattern"
    measure "tsenor_4096_$n$m.prunebook" "$PRUNEBOOK" run "$BENCH/programs/tsenor_4096_$n$m.prb"
    measure "tsenor_4096_$n$m.numpy"     "$PYTHON" "$BENCH/peers/tsenor_numpy.py" bench --size 4096 --n "$n" --m "$m" --reps 3
  done
fi
if want sparse; then
  # Sparse kernels: 2:4 GEMV (f32 and f16 values) and CSR SpMV at 1 and 2 threads, against
  # OpenBLAS sgemv timed in the same process with the same thread count, and SciPy's CSR.
  for t in 1 2; do
    keys="dense_4096_t$t.sgemv nm_4096_t$t.prunebook nmh_4096_t$t.prunebook"
    keys="$keys dense_11008_t$t.sgemv nm_11008_t$t.prunebook nmh_11008_t$t.prunebook"
    for s in 50 75 90 95; do keys="$keys csr${s}_t$t.prunebook"; done
    measure "$keys" env OPENBLAS_NUM_THREADS="$t" "$PRUNEBOOK" run "$BENCH/programs/sparse_kernels_$t.prb"
  done
  measure "csr50.scipy csr75.scipy csr90.scipy csr95.scipy" "$PYTHON" "$BENCH/peers/csr_scipy.py"
fi
if want llama; then
  # LLaMA (stories260K): seconds per token. Perplexity on the first 64 windows of 256 on both
  # sides, plus Prunebook on the whole file; generation of 256 greedy tokens from BOS.
  for f in $LLAMA_FILES; do [ -f "$PRUNEBOOK_DATA/$f" ] || LLAMA_MISSING="$LLAMA_MISSING $f"; done
  LLAMA_KEYS="llama_ppl.prunebook llama_ppl.numpy osscar_shrunk.prunebook osscar_shrunk.dense llama_ppl_file.prunebook llama_generate.prunebook llama_generate.numpy tokenize_file.prunebook tokenize_file.python llama_train.prunebook llama_train.torch"
  if [ -z "$LLAMA_MISSING" ]; then
    measure llama_ppl.prunebook      "$PRUNEBOOK" run "$BENCH/programs/llama_ppl.prb"
    measure llama_ppl.numpy          "$PYTHON" "$BENCH/peers/llama_numpy.py" ppl --windows 64
    measure llama_ppl_file.prunebook "$PRUNEBOOK" run "$BENCH/programs/llama_ppl_file.prb"
    # OSSCAR at sparsity 0.5, shrunk model vs the dense one, both timed by the same program.
    measure "osscar_shrunk.prunebook osscar_shrunk.dense" "$PRUNEBOOK" run "$BENCH/programs/osscar_shrunk.prb"
    measure llama_generate.prunebook "$PRUNEBOOK" run "$BENCH/programs/llama_generate.prb"
    measure llama_generate.numpy     "$PYTHON" "$BENCH/peers/llama_numpy.py" generate
    measure tokenize_file.prunebook  "$PRUNEBOOK" run "$BENCH/programs/tokenize_file.prb"
    measure tokenize_file.python     "$PYTHON" "$BENCH/peers/llama_numpy.py" tokenize
    measure llama_train.prunebook    "$PRUNEBOOK" run "$BENCH/programs/llama_train.prb"
    # PyTorch (CPU) from PyPI into a venv of its own; skipped with a message when it cannot install.
    if [ ! -x "$TORCH_VENV/bin/python" ] || ! "$TORCH_VENV/bin/python" -c "import torch, numpy" 2>/dev/null; then
      echo "  installing torch and numpy from PyPI into ${TORCH_VENV#"$ROOT"/} (once; about 3 GB) ..."
      { "$PYTHON" -m venv "$TORCH_VENV" && "$TORCH_VENV/bin/python" -m pip install --quiet --disable-pip-version-check torch numpy; } \
        >"$TMP/torch-install.log" 2>&1 || true
    fi
    if "$TORCH_VENV/bin/python" -c "import torch, numpy" 2>/dev/null; then
      measure llama_train.torch      "$TORCH_VENV/bin/python" "$BENCH/peers/llama_torch_train.py"
    else
      echo "  skipping the PyTorch train peer: torch did not install (log: ${TMP#"$ROOT"/}/torch-install.log)"
      printf 'llama_train.torch\tskipped\n' >>"$MEASUREMENTS"
    fi
  else
    echo "  skipping the LLaMA rows: PRUNEBOOK_DATA=$PRUNEBOOK_DATA lacks$LLAMA_MISSING"
    for key in $LLAMA_KEYS; do printf '%s\tskipped\n' "$key" >>"$MEASUREMENTS"; done
  fi
fi

# --- Describe the run ----------------------------------------------------------------------
DATE="$(date +%F)"
SHORT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo nocommit)"
COMMIT="$SHORT"
# GIT_OPTIONAL_LOCKS=0: status must not rewrite the index.
if [ -n "$(GIT_OPTIONAL_LOCKS=0 git -C "$ROOT" status --porcelain 2>/dev/null)" ]; then
  COMMIT="$SHORT-uncommitted"
fi
meta() { printf '%s\t%s\n' "$1" "$2" >>"$META"; }
: >"$META"
meta date "$DATE"
meta commit "$COMMIT"
meta groups "${SELECTED:-all}"
meta cpu "$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
meta cores "$(nproc) logical CPUs available ($(grep -m1 '^cpu cores' /proc/cpuinfo | cut -d: -f2 | tr -d ' ') physical cores per socket)"
meta "load average (1, 5, 15 min)" "$LOAD_BEFORE before measuring, $(cut -d" " -f1-3 /proc/loadavg) after (other work on the machine skews the times)"
meta memory "$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
meta os "$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}"), kernel $(uname -r)"
meta swift "$(swift --version 2>&1 | grep -m1 -i 'swift version')"
meta openblas "$(pkg-config --modversion openblas) ($("$SGEMM" --version))"
meta numpy "$("$PYTHON" -c 'import numpy; print(numpy.__version__)')"
meta scipy "$("$PYTHON" -c 'import scipy; print(scipy.__version__)')"
meta python "$("$PYTHON" -c 'import sys; print(sys.version.split()[0])') ($PYTHON)"
meta lua "$("$LUA" -v 2>&1 | awk '{print $2}')"
meta torch "$("$TORCH_VENV/bin/python" -c 'import torch; print(torch.__version__, "CPU,", torch.get_num_threads(), "threads")' 2>/dev/null || echo "not installed (train peer skipped)")"
meta gcc "$(gcc -dumpfullversion)"
meta OPENBLAS_NUM_THREADS "${OPENBLAS_NUM_THREADS:-unset (OpenBLAS uses every core; peers/llama_numpy.py sets 1 for itself and threads over windows)}"
if [ -z "$LLAMA_MISSING" ]; then
  meta PRUNEBOOK_DATA "$PRUNEBOOK_DATA"
else
  meta PRUNEBOOK_DATA "$PRUNEBOOK_DATA (LLaMA rows skipped: no$LLAMA_MISSING)"
fi

# --- Report --------------------------------------------------------------------------------
SUFFIX=""
[ -z "$SELECTED" ] || SUFFIX="-${SELECTED// /-}"
RESULT="$BENCH/results/$DATE-$SHORT$SUFFIX.md"
echo
"$PYTHON" "$BENCH/report.py" "$MEASUREMENTS" "$META" "$RESULT"
echo "results: ${RESULT#"$ROOT"/}"
[ "$FAILED" = 0 ] || die "some measurements failed (stderr in ${TMP#"$ROOT"/}/*.err)"
