"""SparseGPT in NumPy/SciPy: the reference for Prunebook's `sparsegpt` and its bench peer.

SparseGPT: Frantar & Alistarh, "SparseGPT: Massive Language Models Can Be Accurately Pruned
in One-Shot", arXiv 2301.00774. This follows the authors' PyTorch code (sparsegpt.py,
`fasterprune`) step by step, in f64, with Prunebook's counting and tie rules
(shared/spec/algorithms.md §0 and §4):

1. Dead inputs (H_jj = 0): H_jj = 1 and W[:, j] = 0.
2. H += damp * mean(diag H) * I.
3. U = upper Cholesky factor of H^-1: Cholesky of H, invert (LAPACK dpotri, the
   `torch.cholesky_inverse` of the reference), symmetrize, upper Cholesky. A failure
   retries with damping x10, 3 times (a warning on stderr), then raises.
4. Per block [a, b) of `blocksize` columns, V = W[:, a:b]:
   - unstructured: remove the floor(s * out * width + 1e-9) smallest V^2 / U_jj^2 over the
     whole block (ties: the higher row-major index goes first);
   - for each column j: (N:M, at each group start) per row remove the m - n smallest
     V^2 / U_kk^2 of columns j..j+m-1 on the current V (ties: the higher index goes first);
     q = V[:, j] with the removed entries 0, e = (V[:, j] - q) / U_jj,
     V[:, j:] -= e (x) U[j, j:], column j = q, E[:, j - a] = e;
   - W[:, b:] -= E @ U[a:b, b:].

Modes:
  python3 sparsegpt_numpy.py bench [--size 4096] [--reps 3] [--sparsity 0.5]
      times `sparsegpt(W, H, sparsity)` on a random layer (W ~ N(0, 1) [size, size], H = X^T X
      for correlated X [2 * size, size]; making them is not timed), after one untimed warm-up;
      prints seconds per run, one line per rep.
  import sparsegpt_numpy; sparsegpt_numpy.sparsegpt(W, H, sparsity=0.5)  (fixtures, tests)
"""
import argparse
import sys
import time

import numpy as np
import scipy.linalg


def _warn(message):
    print(f"warning: sparsegpt: {message}", file=sys.stderr)


def inverse_upper_factor(H, damp=0.01, retries=3, warn=_warn):
    """U upper with (H + lam * mean(diag H) I)^-1 = U^T U, lam = damp * 10^t for the first
    attempt t that is positive definite; raises LinAlgError after `retries` retries."""
    n = H.shape[0]
    mean = float(np.mean(np.diag(H)))
    lam = damp
    for attempt in range(retries + 1):
        lam = damp * 10.0 ** attempt
        if attempt > 0:
            warn(f"the Hessian is not positive definite with damping {damp * 10.0 ** (attempt - 1)}*mean(diag); "
                 f"retrying with {lam}*mean(diag)")
        Hd = H + lam * mean * np.eye(n)
        try:
            L = scipy.linalg.cholesky(Hd, lower=True)
            Hinv, info = scipy.linalg.lapack.dpotri(L, lower=1)
            if info != 0:
                raise np.linalg.LinAlgError("dpotri failed")
            Hinv = np.tril(Hinv) + np.tril(Hinv, -1).T
            U = scipy.linalg.cholesky(Hinv, lower=False)
        except np.linalg.LinAlgError:
            continue
        if np.all(np.isfinite(np.diag(U))) and np.all(np.diag(U) > 0):
            return U
    raise np.linalg.LinAlgError(
        f"the Hessian is not positive definite even with damping {lam}*mean(diag); "
        "the calibration data may be degenerate - give more samples")


def _remove_smallest(scores, k):
    """Bool array shaped like `scores`, True on the k smallest (flattened row-major order);
    among equal scores the higher index is removed first. Linear time (partition)."""
    flat = scores.reshape(-1)
    removed = np.zeros(flat.shape, dtype=bool)
    if k <= 0:
        return removed.reshape(scores.shape)
    threshold = np.partition(flat, k - 1)[k - 1]
    below = flat < threshold
    removed[below] = True
    ties = k - int(np.count_nonzero(below))
    at = np.flatnonzero(flat == threshold)
    removed[at[len(at) - ties:]] = True
    return removed.reshape(scores.shape)


def _remove_group_smallest(scores, pruned):
    """Per row of `scores` [rows, m], True on the `pruned` smallest; ties: higher index first."""
    m = scores.shape[1]
    # A stable sort of the reversed columns puts equal scores in descending original index.
    order = np.argsort(scores[:, ::-1], axis=1, kind="stable")[:, :pruned]
    removed = np.zeros(scores.shape, dtype=bool)
    np.put_along_axis(removed, m - 1 - order, True, axis=1)
    return removed


def sparsegpt(W, H, sparsity=None, nm=None, blocksize=128, damp=0.01, warn=_warn):
    """Prunes W [out, in] with the Hessian H [in, in] (X^T X): returns (updated W in f64,
    bool keep-mask). Exactly one of `sparsity` (fraction removed per block) or `nm` ((n, m):
    n kept of every m consecutive inputs)."""
    W = np.array(W, dtype=np.float64)
    H = np.array(H, dtype=np.float64)
    rows, columns = W.shape
    if (sparsity is None) == (nm is None):
        raise ValueError("give exactly one of sparsity and nm")
    if nm is not None:
        n, m = nm
        if columns % m or blocksize % m:
            raise ValueError("in and blocksize must be multiples of m")
    dead = np.diag(H) == 0
    H[dead, dead] = 1
    W[:, dead] = 0
    U = inverse_upper_factor(H, damp, warn=warn)
    diag2 = np.diag(U) ** 2
    keep = np.ones(W.shape, dtype=bool)
    for a in range(0, columns, blocksize):
        b = min(a + blocksize, columns)
        width = b - a
        V = W[:, a:b].copy()
        E = np.zeros((rows, width))
        Ub = U[a:b, a:b]
        if nm is None:
            k = int(np.floor(sparsity * rows * width + 1e-9))
            removed = _remove_smallest(V ** 2 / diag2[a:b], k)
        else:
            removed = np.zeros(V.shape, dtype=bool)
        for i in range(width):
            if nm is not None and i % m == 0:
                removed[:, i:i + m] = _remove_group_smallest(V[:, i:i + m] ** 2 / diag2[a + i:a + i + m], m - n)
            w = V[:, i]
            q = w.copy()
            q[removed[:, i]] = 0
            err = (w - q) / Ub[i, i]
            V[:, i:] -= np.outer(err, Ub[i, i:])
            V[:, i] = q
            E[:, i] = err
        W[:, a:b] = V
        keep[:, a:b] = ~removed
        W[:, b:] -= E @ U[a:b, b:]
    return W, keep


def random_layer(size, seed=0):
    """W ~ N(0, 1) [size, size] and H = X^T X for correlated inputs X [2 * size, size]: a
    low-rank mix of size / 8 factors plus independent noise (f32, as Prunebook's program)."""
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((size, size), dtype=np.float32)
    factors = rng.standard_normal((2 * size, size // 8), dtype=np.float32)
    mixing = rng.standard_normal((size // 8, size), dtype=np.float32)
    X = factors @ mixing + rng.standard_normal((2 * size, size), dtype=np.float32)
    return W, X.T @ X


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["bench"])
    parser.add_argument("--size", type=int, default=4096)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--sparsity", type=float, default=0.5)
    args = parser.parse_args()
    W, H = random_layer(args.size)
    sparsegpt(W, H, sparsity=args.sparsity)  # warm-up, as Prunebook's `bench`
    for _ in range(args.reps):
        t0 = time.perf_counter()
        sparsegpt(W, H, sparsity=args.sparsity)
        print(f"{time.perf_counter() - t0:.6f}", flush=True)


if __name__ == "__main__":
    main()
