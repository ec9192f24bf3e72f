"""TSENOR in NumPy: the bench peer of Prunebook's `tsenor` (transposable n:m masks).

TSENOR: Meng, Makni, Mazumder, "TSENOR: Highly-Efficient Algorithm for Finding Transposable
N:M Sparse Masks", arXiv 2505.23949. This is shared/spec/algorithms.md §9 with the defaults
of `tsenor(scores, n, m, iters: 100, eps: 1/30, rounding: "greedy+local")`, in f64, every
step vectorised over all m x m blocks at once (the paper's point):

1. |scores| tiled into aligned m x m blocks, [blocks, m, m]; n = m keeps all.
2. Each block divided by its max (if > 0), L = tau * S (tau = 1 / eps), Q = 0.
3. `iters` log-domain Dykstra steps: L -= logsumexp_row(L) - log n; L -= logsumexp_col(L) -
   log n; T = L + Q; L = min(T, 0); Q = T - L. Plan P = exp(L).
4. Greedy: per block, cells by descending P + 1e-9 * |score| / max|score| (max over the
   whole matrix; a stable sort, so row-major on ties), kept while their row and column hold
   < n: one vectorised step per rank (m^2 steps, each over every block).
5. Repair to exactly n per row and column, one move per round over every block still short:
   keep the best unkept cell whose row and column are both short (the first in row-major
   order on ties); else for the first short row i and column j the best swap over kept
   (i', j') with (i, j'), (i', j) unkept - keep those two, drop (i', j') - maximising
   s[i, j'] + s[i', j] - s[i', j'] even if negative (the first in row-major order on ties).

Modes:
  python3 tsenor_numpy.py bench [--size 4096] [--n 2] [--m 4] [--reps 3]
      times `tsenor(S, n, m)` on S = |N(0, 1)| [size, size] (making S is not timed) after one
      untimed call that checks the mask is transposable n:m with exactly n per block row and
      column (the warm-up), and prints seconds per run, one line per rep.
  import tsenor_numpy; tsenor_numpy.tsenor(S, 2, 4)  (returns the bool keep-mask)
"""
import argparse
import sys
import time

import numpy as np


def to_blocks(a, m):
    """[R, C] -> [R/m * C/m, m, m], blocks in row-major block order, each row-major."""
    r, c = a.shape
    return a.reshape(r // m, m, c // m, m).transpose(0, 2, 1, 3).reshape(-1, m, m)


def from_blocks(b, rows, columns):
    """The inverse of `to_blocks`."""
    m = b.shape[1]
    return b.reshape(rows // m, columns // m, m, m).transpose(0, 2, 1, 3).reshape(rows, columns)


def _lines(a, axis, k):
    """The k-th entry of every row (axis 2) or column (axis 1) of [blocks, m, m] `a`: [blocks, m]."""
    return a[:, :, k] if axis == 2 else a[:, k, :]


def _expand(v, axis):
    """[blocks, m] per-row (axis 2) or per-column (axis 1) values, broadcastable over [blocks, m, m]."""
    return v[:, :, None] if axis == 2 else v[:, None, :]


def _normalise(L, axis, log_n, top, total, work):
    """L -= logsumexp(L, axis) - log n, in place; `top`, `total` [blocks, m] and `work` are
    scratch. The reductions run as m elementwise passes over [blocks, m] slices: NumPy's
    reductions along an axis of length 4-16 are several times slower than that."""
    m = L.shape[1]
    np.copyto(top, _lines(L, axis, 0))
    for k in range(1, m):
        np.maximum(top, _lines(L, axis, k), out=top)
    np.subtract(L, _expand(top, axis), out=work)
    np.exp(work, out=work)
    np.copyto(total, _lines(work, axis, 0))
    for k in range(1, m):
        total += _lines(work, axis, k)
    np.log(total, out=total)
    total += top
    total -= log_n
    L -= _expand(total, axis)


def dykstra(S, n, iters, eps):
    """Steps 2-3 on [blocks, m, m] |scores|: the plan exp(L), same shape."""
    top = S.max(axis=(1, 2), keepdims=True)
    scale = np.where((top > 0) & np.isfinite(top), (1.0 / eps) / np.where(top > 0, top, 1.0), 0.0)
    L = S * scale
    Q = np.zeros_like(L)
    T = np.empty_like(L)
    work = np.empty_like(L)
    top, total = np.empty(L.shape[:2]), np.empty(L.shape[:2])
    log_n = np.log(n)
    for _ in range(iters):
        _normalise(L, 2, log_n, top, total, work)
        _normalise(L, 1, log_n, top, total, work)
        np.add(L, Q, out=T)
        np.minimum(T, 0.0, out=L)
        np.subtract(T, L, out=Q)
    np.exp(L, out=L)
    return L


def greedy(keys, n):
    """Step 4 on [blocks, m, m] keys: the bool mask and its row and column counts."""
    blocks, m, _ = keys.shape
    order = np.argsort(-keys.reshape(blocks, m * m), axis=1, kind="stable")
    kept = np.zeros((blocks, m * m), dtype=bool)
    rows = np.zeros((blocks, m), dtype=np.int64)
    cols = np.zeros((blocks, m), dtype=np.int64)
    every = np.arange(blocks)
    for t in range(m * m):
        cell = order[:, t]
        i, j = cell // m, cell % m
        ok = (rows[every, i] < n) & (cols[every, j] < n)
        kept[every, cell] = ok
        rows[every, i] += ok
        cols[every, j] += ok
    return kept.reshape(blocks, m, m), rows, cols


def repair(S, kept, rows, cols, n):
    """Step 5, in place on [blocks, m, m] `kept`: one move per round for every short block."""
    blocks, m, _ = S.shape
    short = np.flatnonzero((rows < n).any(axis=1))
    while short.size:
        s, k = S[short], kept[short]
        rs, cs = rows[short] < n, cols[short] < n
        free = ~k & rs[:, :, None] & cs[:, None, :]
        candidate = np.where(free, s, -np.inf).reshape(short.size, -1)
        best = candidate.argmax(axis=1)
        has = free.reshape(short.size, -1).any(axis=1)
        # blocks with a free cell keep the best one
        b, cell = short[has], best[has]
        kept[b, cell // m, cell % m] = True
        rows[b, cell // m] += 1
        cols[b, cell % m] += 1
        # the others swap: first short row i and column j, best kept (i2, j2) with (i, j2), (i2, j) free
        stuck = ~has
        if stuck.any():
            b = short[stuck]
            s, k = s[stuck], k[stuck]
            i, j = rs[stuck].argmax(axis=1), cs[stuck].argmax(axis=1)
            at = np.arange(b.size)
            row_i_free = ~k[at, i, :]            # (i, j2) unkept, [stuck, m] over j2
            col_j_free = ~k[at, :, j]            # (i2, j) unkept, [stuck, m] over i2
            allowed = k & col_j_free[:, :, None] & row_i_free[:, None, :]
            gain = s[at, i, :][:, None, :] + s[at, :, j][:, :, None] - s
            swap = np.where(allowed, gain, -np.inf).reshape(b.size, -1).argmax(axis=1)
            if not allowed.reshape(b.size, -1)[at, swap].all():
                raise AssertionError("a repair swap always exists (algorithms.md §9 step 5)")
            i2, j2 = swap // m, swap % m
            kept[b, i2, j2] = False
            kept[b, i, j2] = True
            kept[b, i2, j] = True
            rows[b, i] += 1
            cols[b, j] += 1
        short = short[(rows[short] < n).any(axis=1)]
    return kept


def tsenor(scores, n, m, iters=100, eps=1 / 30):
    """The transposable n:m keep-mask of `scores` [R, C] (R, C multiples of m)."""
    rows, columns = scores.shape
    if n == m:
        return np.ones(scores.shape, dtype=bool)
    S = to_blocks(np.abs(np.asarray(scores, dtype=np.float64)), m)
    plan = dykstra(S, n, iters, eps)
    top = S.max()
    scale = 1.0 / top if top > 0 and np.isfinite(top) else 0.0
    plan += 1e-9 * S * scale
    kept, rc, cc = greedy(plan, n)
    return from_blocks(repair(S, kept, rc, cc, n), rows, columns)


def is_exact_transposable(mask, n, m):
    """True when every aligned m x m block keeps exactly n per row and per column."""
    b = to_blocks(mask, m)
    return bool((b.sum(axis=2) == n).all() and (b.sum(axis=1) == n).all())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["bench"])
    parser.add_argument("--size", type=int, default=4096)
    parser.add_argument("--n", type=int, default=2)
    parser.add_argument("--m", type=int, default=4)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    S = np.abs(np.random.default_rng(0).standard_normal((args.size, args.size), dtype=np.float32))
    mask = tsenor(S, args.n, args.m)  # the check, and the warm-up, as the Prunebook program
    if not is_exact_transposable(mask, args.n, args.m):
        sys.exit(f"tsenor_numpy: the mask is not transposable {args.n}:{args.m}")
    for _ in range(args.reps):
        t0 = time.perf_counter()
        tsenor(S, args.n, args.m)
        print(f"{time.perf_counter() - t0:.6f}", flush=True)


if __name__ == "__main__":
    main()
