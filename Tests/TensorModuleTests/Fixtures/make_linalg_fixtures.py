#!/usr/bin/python3
"""Writes linalg.json: NumPy reference results for TensorLinearAlgebraTests, TensorMatMulTests
and TensorOrderTests.

Run from anywhere with /usr/bin/python3 (NumPy installed); the JSON lands beside this script.
Inputs come from simple integer formulas (no RNG), scaled by powers of two so that every
input is exactly representable in f32 and the Swift side sees the same numbers NumPy does.
Each entry is {"shape": [...], "data": [...]} in row-major order (float64 values).

Eigenvectors and singular vectors are sign-normalised the way TensorModule documents: each
column of the eigenvector matrix / of U has its largest-magnitude component positive (on
ties within a relative 1e-10, the first such), and the matching row of Vᵀ follows U's flip.
"""
import json
import os

import numpy as np


def formula(rows, cols, a, b, c, mod, shift, scale):
    """A [rows, cols] matrix with entries ((a·i + b·j + c) mod mod − shift) · scale."""
    i, j = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    return (((a * i + b * j + c) % mod) - shift).astype(np.float64) * scale


def entry(array):
    array = np.asarray(array, dtype=np.float64)
    return {"shape": list(array.shape), "data": [float(x) for x in array.reshape(-1)]}


def int_entry(array):
    array = np.asarray(array)
    return {"shape": list(array.shape), "data": [int(x) for x in array.reshape(-1)]}


def sign_normalise(columns):
    out = columns.copy()
    for j in range(out.shape[1]):
        magnitudes = np.abs(out[:, j])
        k = int(np.argmax(magnitudes >= magnitudes.max() * (1 - 1e-10)))
        if out[k, j] < 0:
            out[:, j] = -out[:, j]
    return out


def main():
    fixtures = {}

    # Matrix products.
    a = formula(5, 7, 3, 5, 1, 11, 5, 0.25)
    b = formula(7, 3, 2, 7, 4, 9, 4, 0.5)
    fixtures["matmul_a"] = entry(a)
    fixtures["matmul_b"] = entry(b)
    fixtures["matmul_ab"] = entry(a @ b)
    batch_a = formula(6, 4, 5, 3, 2, 7, 3, 0.5).reshape(2, 3, 4)
    batch_b = formula(4, 2, 3, 1, 0, 5, 2, 0.25)
    fixtures["batch_a"] = entry(batch_a)
    fixtures["batch_b"] = entry(batch_b)
    fixtures["batch_ab"] = entry(batch_a @ batch_b)
    vec = formula(1, 7, 0, 3, 1, 8, 4, 0.125).reshape(7)
    fixtures["vec7"] = entry(vec)
    fixtures["matmul_a_vec"] = entry(a @ vec)
    fixtures["matmul_vec_b"] = entry(vec @ b)

    # Solves and inverses: a diagonally dominant (well-conditioned) 4×4 matrix.
    s = formula(4, 4, 3, 2, 1, 7, 3, 0.5) + 6.0 * np.eye(4)
    rhs = formula(4, 2, 1, 3, 0, 5, 2, 1.0)
    fixtures["solve_a"] = entry(s)
    fixtures["solve_b"] = entry(rhs)
    fixtures["solve_x"] = entry(np.linalg.solve(s, rhs))
    fixtures["solve_x_vector"] = entry(np.linalg.solve(s, rhs[:, 0]))
    fixtures["inv"] = entry(np.linalg.inv(s))

    # Symmetric positive definite: M Mᵀ + 2 I with M of quarter-integers.
    m = formula(5, 5, 2, 3, 1, 7, 3, 0.25)
    spd = m @ m.T + 2.0 * np.eye(5)
    fixtures["spd"] = entry(spd)
    chol = np.linalg.cholesky(spd)
    fixtures["cholesky"] = entry(chol)
    values, vectors = np.linalg.eigh(spd)
    fixtures["eigh_values"] = entry(values)
    fixtures["eigh_vectors"] = entry(sign_normalise(vectors))
    # cholesky_inverse of the f32-rounded factor, as the Swift test feeds it.
    chol32 = chol.astype(np.float32).astype(np.float64)
    fixtures["cholesky_f32"] = entry(chol32)
    fixtures["cholesky_inverse"] = entry(np.linalg.inv(chol32 @ chol32.T))

    # SVD of the 5×7 matrix (distinct singular values, so the vectors are unique up to sign).
    u, sv, vt = np.linalg.svd(a, full_matrices=False)
    u_norm = sign_normalise(u)
    flips = np.sign(np.sum(u_norm * u, axis=0))
    fixtures["svd_s"] = entry(sv)
    fixtures["svd_u"] = entry(u_norm)
    fixtures["svd_vt"] = entry(vt * flips[:, None])

    # Least squares: overdetermined 7×3 system.
    fixtures["lstsq_x"] = entry(np.linalg.lstsq(b, vec, rcond=None)[0])

    # Order statistics with ties.
    q_data = formula(3, 8, 5, 3, 2, 7, 3, 0.5)
    fixtures["order_data"] = entry(q_data)
    fixtures["argsort_axis1"] = int_entry(np.argsort(q_data, axis=1, kind="stable"))
    fixtures["argsort_axis0"] = int_entry(np.argsort(q_data, axis=0, kind="stable"))
    for q in (0.0, 0.25, 0.3, 0.5, 0.9, 1.0):
        key = str(q).replace(".", "_")
        fixtures["quantile_all_" + key] = entry(np.quantile(q_data, q))
        fixtures["quantile_axis1_" + key] = entry(np.quantile(q_data, q, axis=1))
        fixtures["quantile_axis0_" + key] = entry(np.quantile(q_data, q, axis=0))
    uniq, counts = np.unique(q_data, return_counts=True)
    fixtures["unique_values"] = entry(uniq)
    fixtures["unique_counts"] = int_entry(counts)

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "linalg.json")
    with open(path, "w") as f:
        json.dump(fixtures, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
