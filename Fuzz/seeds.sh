#!/usr/bin/env bash
# Copies the seed inputs of fuzz target $1 into folder $2 (docs/fuzzing.md): the test files
# in that format, the small committed seeds of Tests/FuzzSeeds, and, for the tokenizer,
# PRUNEBOOK_DATA's tok512.bin when present (never committed).
set -euo pipefail
target=$1 out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
cd "$root"
case $target in
  # Big files (generated stress scripts, docs/builtins.md) would only slow every mutation down.
  parser|interpreter) files=$(find Tests/Scripts Tests/BadInputs stdlib -name '*.prb' -size -64k) ;;
  notebook) files=$(find notebooks docs README.md Tests/BadInputs/notebooks -maxdepth 1 -name '*.md' -size -32k) ;;
  safetensors) files=$(find Tests -name '*.safetensors') ;;
  npy) files=$(find Tests -name '*.npy') ;;
  npz) files=$(find Tests -name '*.npz') ;;
  llama2c) files=$(find Tests/FuzzSeeds/llama2c Tests/BadInputs/files/fixtures -name '*checkpoint*.bin' -o -path '*llama2c/*.bin') ;;
  tokenizer) files=$(find Tests/FuzzSeeds/tokenizer Tests/BadInputs/files/fixtures -name '*.bin' -path '*tokenizer*')
             if [ -f "${PRUNEBOOK_DATA:-}/tok512.bin" ]; then files="$files $PRUNEBOOK_DATA/tok512.bin"; fi ;;
  *) echo "seeds.sh: unknown target $target" >&2; exit 2 ;;
esac
# Flattened names keep files of the same name in different folders apart.
for f in $files; do cp "$f" "$out/$(echo "$f" | tr '/' '_')"; done
