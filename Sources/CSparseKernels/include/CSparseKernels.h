#ifndef CSPARSEKERNELS_H
#define CSPARSEKERNELS_H

#include <stdint.h>

/// An n:m matrix in Sparse's `NMMatrix` block layout, as the C GEMV reads it: rows in blocks
/// of 8, kept slot k of a block = 8 consecutive values (f32, or f16 bits when `half` is 1),
/// and 8 in-group positions of `bits` bits packed least-significant first at byte
/// `(block * kept + k) * bits` of `indices` (which has 8 zero bytes after its last slot).
typedef struct {
    /// The kept values: `float` when `half` is 0, IEEE half bits (`uint16_t`) when 1.
    const void *values;
    /// The packed in-group positions.
    const uint8_t *indices;
    /// Real (unpadded) rows; the last block's padding rows are computed but not stored.
    long rows;
    /// Groups of m columns per row (columns / m).
    long groups;
    /// The pattern: n kept of every m (1 ≤ n ≤ m ≤ 16), and bits per position, ⌈log₂ m⌉ ≥ 1.
    int n, m, bits;
    /// 1 when `values` holds f16 bits.
    int half;
} CSKNMMatrix;

/// 1 when this CPU runs `csk_nm_gemv` (x86-64 with AVX2, FMA and F16C, enabled by the OS),
/// else 0. Asks the CPU on every call; Sparse asks once and keeps the answer.
int csk_nm_gemv_available(void);

/// `y = A x` (or `y += A x` when `accumulate` is 1) for the rows of blocks
/// `first_block ..< end_block` of `a`; `x` has `groups * m` elements. Call only when
/// `csk_nm_gemv_available()` is 1. Each block's result depends only on the block, so any
/// split of the blocks over threads gives the same `y`.
void csk_nm_gemv(const CSKNMMatrix *a, const float *x, float *y, long first_block, long end_block, int accumulate);

#endif
