#!/usr/bin/python3
"""Writes the NumPy reference fixtures of PruningTests (WandaFixtureTests.swift):

  wanda_weight.npy       f32 [64, 128]  a weight on a coarse grid (multiples of 1/8), so
                                        many |w| are equal
  wanda_act_norm.npy     f32 [128]      input norms from a few levels plus six outlier
                                        columns, so many |w|·act_norm are equal and ties
                                        decide entries at the cut of most rows and groups
  wanda_mask_s50.npy     bool [64, 128] Wanda's keep-mask at 50% unstructured (per row)
  wanda_mask_nm24.npy    bool [64, 128] Wanda's keep-mask at 2:4

Rules (algorithms.md §0, §3): S = |W|·act_norm in float64 from the f32 inputs; per row,
remove floor(s·in + 1e-9) of the smallest scores; per group of 4 consecutive inputs keep
the 2 largest; among equal scores the lower index is kept (a stable argsort of -S). The
Wanda codebase removes the lower index on ties; Prunebook keeps it, and so does this script.

Run once with /usr/bin/python3 (NumPy installed); the files land beside this script.
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20240601)

OUT, IN = 64, 128
weight = (np.round(rng.standard_normal((OUT, IN)) * 4) / 8).astype(np.float32)

act_norm = rng.choice([0.5, 0.75, 1.0, 1.5], IN)
act_norm[rng.choice(IN, 6, replace=False)] *= 25          # outlier features
act_norm = act_norm.astype(np.float32)

scores = np.abs(weight.astype(np.float64)) * act_norm.astype(np.float64)[None, :]


def keep_largest(s, keep):
    """Bool mask keeping the `keep` largest of 1-D `s`, lower index first on ties."""
    order = np.argsort(-s, kind="stable")
    mask = np.zeros(s.shape, dtype=bool)
    mask[order[:keep]] = True
    return mask


def unstructured(scores, sparsity):
    removed = int(np.floor(sparsity * scores.shape[1] + 1e-9))
    return np.stack([keep_largest(row, scores.shape[1] - removed) for row in scores])


def nm(scores, n, m):
    out, width = scores.shape
    groups = scores.reshape(out, width // m, m)
    mask = np.zeros(groups.shape, dtype=bool)
    for r in range(out):
        for g in range(width // m):
            mask[r, g] = keep_largest(groups[r, g], n)
    return mask.reshape(out, width)


mask_s50 = unstructured(scores, 0.5)
mask_nm24 = nm(scores, 2, 4)
assert (mask_s50.sum(axis=1) == IN // 2).all()
assert (mask_nm24.reshape(OUT, -1, 4).sum(axis=2) == 2).all()
# The fixture is only a tie test if ties decide entries: count the rows (groups) whose
# last kept score equals their first removed one.
ranked = -np.sort(-scores, axis=1)
tied_rows = int((ranked[:, IN // 2 - 1] == ranked[:, IN // 2]).sum())
ranked_groups = -np.sort(-scores.reshape(OUT, -1, 4), axis=2)
tied_groups = int((ranked_groups[:, :, 1] == ranked_groups[:, :, 2]).sum())
assert tied_rows > OUT // 2 and tied_groups > 100, (tied_rows, tied_groups)

for name, array in [("wanda_weight", weight), ("wanda_act_norm", act_norm),
                    ("wanda_mask_s50", mask_s50), ("wanda_mask_nm24", mask_nm24)]:
    np.save(os.path.join(HERE, name + ".npy"), array)
print(f"ties at the cut: {tied_rows} of {OUT} rows at 50%, {tied_groups} of {OUT * IN // 4} groups at 2:4")
