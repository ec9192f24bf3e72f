"""Writes the SparseGPT fixtures of SparseGPTTests.swift from the NumPy/SciPy reference
(bench/peers/sparsegpt_numpy.py): a 64 x 128 layer, the Gram matrix of correlated inputs,
and the reference outputs at 50% (unstructured) and 2:4.

Run from anywhere: `python3 Tests/PruningTests/Fixtures/make_sparsegpt_fixtures.py` (needs
python3-numpy and python3-scipy). Files, all little-endian and row-major, next to this script:
  sparsegpt.json              shapes, dtypes, files and the options used
  sparsegpt_w.f32.bin         W [64, 128]
  sparsegpt_gram.f64.bin      G = X^T X [128, 128], X [512, 128] (f64, so both sides start equal)
  sparsegpt_{50,24}_weights.f32.bin  the pruned, updated weights
  sparsegpt_{50,24}_mask.u8.bin      the keep-masks (1 = kept)
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "bench", "peers"))
import sparsegpt_numpy  # noqa: E402

ROWS, COLUMNS, SAMPLES = 64, 128, 512
BLOCKSIZE, DAMP = 32, 0.01


def correlated_inputs(rng):
    """X [SAMPLES, COLUMNS]: 16 shared factors mixed into every input plus noise, with a few
    outlier features (x10), as LLM activations have."""
    factors = rng.standard_normal((SAMPLES, 16))
    mixing = rng.standard_normal((16, COLUMNS))
    X = factors @ mixing + 0.5 * rng.standard_normal((SAMPLES, COLUMNS))
    X[:, [3, 40, 77, 101]] *= 10
    return X


def main():
    rng = np.random.default_rng(2301_00774)
    W = rng.standard_normal((ROWS, COLUMNS)).astype(np.float32)
    X = correlated_inputs(rng)
    G = X.T @ X
    arrays = {"w": ("sparsegpt_w.f32.bin", W), "gram": ("sparsegpt_gram.f64.bin", G)}
    cases = {"50": dict(sparsity=0.5), "24": dict(nm=(2, 4))}
    for name, option in cases.items():
        weights, mask = sparsegpt_numpy.sparsegpt(W.astype(np.float64), G, blocksize=BLOCKSIZE, damp=DAMP, **option)
        arrays[f"{name}_weights"] = (f"sparsegpt_{name}_weights.f32.bin", weights.astype(np.float32))
        arrays[f"{name}_mask"] = (f"sparsegpt_{name}_mask.u8.bin", mask.astype(np.uint8))
    manifest = {"blocksize": BLOCKSIZE, "damp": DAMP, "arrays": {}}
    for key, (file, array) in arrays.items():
        dtype = {np.dtype(np.float32): "f32", np.dtype(np.float64): "f64", np.dtype(np.uint8): "u8"}[array.dtype]
        array.astype(array.dtype.newbyteorder("<")).tofile(os.path.join(HERE, file))
        manifest["arrays"][key] = {"file": file, "dtype": dtype, "shape": list(array.shape)}
    with open(os.path.join(HERE, "sparsegpt.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
