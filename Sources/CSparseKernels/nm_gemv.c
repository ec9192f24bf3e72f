// The n:m GEMV for x86-64 with AVX2, FMA and F16C: a block of 8 rows is one 8-lane
// accumulator, and each lane picks its x with an in-register variable permute instead of
// blends: the group's x entries sit in a register (4 in each 128-bit half for m ≤ 4, 8 for
// m ≤ 8, two registers for m ≤ 16), the slot's 8 packed positions are broadcast and shifted
// into lanes (vpsrlvd), and vpermilps / vpermps select. About 4 instructions per 8 kept
// values, so the kernel is limited by memory bandwidth. Swift has no intrinsics for these
// instructions, which is why this file is C; the portable Swift kernel remains for other CPUs.
#include "CSparseKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

#define CSK_AVX2 __attribute__((target("avx2,fma,f16c")))
#define CSK_INLINE static inline __attribute__((always_inline))

int csk_nm_gemv_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
}

/// Row blocks computed together, sharing each group's x load and the loop (2:4 at 4096 and
/// 11008 rows, one thread: 3 measured 5–10% faster than 2 or 4, and 20–30% faster than 1;
/// with 4 the pointers no longer fit the registers).
#define BLOCKS 3
/// Bytes ahead of the values being read that the kernel prefetches, per block stream
/// (hardware prefetch alone left f16 at ~2× sgemv instead of ~3×; 4 KB measured a little
/// faster than 2 KB, 8 KB slower).
#define PREFETCH_BYTES 4096

/// How a lane selects among the group's x: by m ≤ 4, ≤ 8 or ≤ 16 (the x entries one
/// selection reads: 4, 8 or 16).
enum { PICK4 = 4, PICK8 = 8, PICK16 = 16 };

/// One group's x entries, loaded for the selection `pick`.
typedef struct { __m256 lo, hi; } GroupX;

CSK_AVX2 CSK_INLINE GroupX load_group(const float *xg, int pick) {
    GroupX g;
    if (pick == PICK4) {
        g.lo = _mm256_broadcast_ps((const __m128 *)xg);
        g.hi = g.lo;
    } else {
        g.lo = _mm256_loadu_ps(xg);
        g.hi = pick == PICK16 ? _mm256_loadu_ps(xg + 8) : g.lo;
    }
    return g;
}

/// Lane r of the result is the group's x at lane r's position in `word` (`bits` bits each).
CSK_AVX2 CSK_INLINE __m256 pick_x(GroupX g, uint32_t word, int bits, int pick) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    __m256i p = _mm256_srlv_epi32(_mm256_set1_epi32((int)word), _mm256_mullo_epi32(lane, _mm256_set1_epi32(bits)));
    // vpermilps reads bits 1:0 and vpermps bits 2:0 of each lane; only 1-bit positions
    // would otherwise see their neighbour's bit.
    if (bits == 1) p = _mm256_and_si256(p, _mm256_set1_epi32(1));
    if (pick == PICK4) return _mm256_permutevar_ps(g.lo, p);
    __m256 lo = _mm256_permutevar8x32_ps(g.lo, p);
    if (pick == PICK8) return lo;
    // Bit 3 of the position chooses the upper 8 entries: move it to the sign for vblendvps.
    __m256 hi = _mm256_permutevar8x32_ps(g.hi, p);
    return _mm256_blendv_ps(lo, hi, _mm256_castsi256_ps(_mm256_slli_epi32(p, 28)));
}

/// The 8 lanes' values of slot `slot` (counted from the matrix start) in f32.
CSK_AVX2 CSK_INLINE __m256 slot_values(const CSKNMMatrix *a, long slot, int half) {
    if (half) return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)((const uint16_t *)a->values + slot * 8)));
    return _mm256_loadu_ps((const float *)a->values + slot * 8);
}

/// The packed positions of slot `slot`: one unaligned 32-bit load.
CSK_INLINE uint32_t slot_word(const CSKNMMatrix *a, long slot, int bits) {
    uint32_t word;
    memcpy(&word, a->indices + slot * bits, sizeof word);
    return word;
}

/// Adds group g's kept slots of `count` blocks (slot 0 of block b at `base[b]`) to their
/// accumulators; slots alternate between a block's two accumulators.
CSK_AVX2 CSK_INLINE void group_dot(const CSKNMMatrix *a, GroupX gx, long g, const long *base, int count, int n,
                                   int bits, int half, int pick, __m256 (*acc)[2]) {
    for (int j = 0; j < n; j++) {
        for (int b = 0; b < count; b++) {
            long slot = base[b] + g * n + j;
            if ((j & 1) == 0) _mm_prefetch((const char *)a->values + slot * 8 * (half ? 2 : 4) + PREFETCH_BYTES, _MM_HINT_T0);
            __m256 v = slot_values(a, slot, half);
            acc[b][j & 1] = _mm256_fmadd_ps(v, pick_x(gx, slot_word(a, slot, bits), bits, pick), acc[b][j & 1]);
        }
    }
}

/// `count` (1 to BLOCKS) blocks from `block` at once, sharing each group's x. Group g's x is
/// read at `x + m·g`, except for the groups from `safe` on, whose `pick` entries would pass
/// the end of x: they are copied into a zero-padded buffer first (a separate loop, so the
/// main one carries no check).
CSK_AVX2 CSK_INLINE void blocks_dot(const CSKNMMatrix *a, const float *x, long block, int count, int n, int bits,
                                    int half, int pick, long safe, __m256 out[BLOCKS]) {
    const long kept = a->groups * n, m = a->m;
    __m256 acc[BLOCKS][2];
    long base[BLOCKS];
    for (int b = 0; b < count; b++) {
        acc[b][0] = acc[b][1] = _mm256_setzero_ps();
        base[b] = (block + b) * kept;
    }
    for (long g = 0; g < safe; g++) group_dot(a, load_group(x + m * g, pick), g, base, count, n, bits, half, pick, acc);
    for (long g = safe; g < a->groups; g++) {
        // Fewer than `pick` entries are left from here to the end of x.
        float tail[PICK16] = {0};
        memcpy(tail, x + m * g, (size_t)((a->groups - g) * m) * sizeof(float));
        group_dot(a, load_group(tail, pick), g, base, count, n, bits, half, pick, acc);
    }
    for (int b = 0; b < count; b++) out[b] = _mm256_add_ps(acc[b][0], acc[b][1]);
}

/// Writes (or adds) one block's 8 dots to its real rows of y.
CSK_AVX2 CSK_INLINE void store_block(const CSKNMMatrix *a, __m256 dot, long block, float *y, int accumulate) {
    float lanes[8];
    _mm256_storeu_ps(lanes, dot);
    long top = block * 8, count = a->rows - top < 8 ? a->rows - top : 8;
    for (long r = 0; r < count; r++) y[top + r] = accumulate ? y[top + r] + lanes[r] : lanes[r];
}

/// The block range for one combination of pattern constants (n = 0 means "read a->n"), so
/// that each combination compiles to its own unrolled loop.
CSK_AVX2 CSK_INLINE void gemv_range(const CSKNMMatrix *a, const float *x, float *y, long first, long end,
                                    int accumulate, int n, int bits, int half, int pick) {
    const long m = a->m, columns = a->groups * m;
    // Groups g with m·g + pick ≤ columns read x in place.
    const long safe = columns >= pick ? (columns - pick) / m + 1 : 0;
    if (n == 0) n = a->n;
    __m256 dots[BLOCKS];
    long block = first;
    for (; block + BLOCKS <= end; block += BLOCKS) {
        blocks_dot(a, x, block, BLOCKS, n, bits, half, pick, safe, dots);
        for (int b = 0; b < BLOCKS; b++) store_block(a, dots[b], block + b, y, accumulate);
    }
    for (; block < end; block++) {
        blocks_dot(a, x, block, 1, n, bits, half, pick, safe, dots);
        store_block(a, dots[0], block, y, accumulate);
    }
}

/// The pick and unrolling for one value storage: 2:4 fully specialised, then by position width.
CSK_AVX2 CSK_INLINE void gemv_storage(const CSKNMMatrix *a, const float *x, float *y, long first, long end,
                                      int accumulate, int half) {
    if (a->n == 2 && a->m == 4) gemv_range(a, x, y, first, end, accumulate, 2, 2, half, PICK4);
    else if (a->bits == 1) gemv_range(a, x, y, first, end, accumulate, 0, 1, half, PICK4);
    else if (a->bits == 2) gemv_range(a, x, y, first, end, accumulate, 0, 2, half, PICK4);
    else if (a->bits == 3) gemv_range(a, x, y, first, end, accumulate, 0, 3, half, PICK8);
    else gemv_range(a, x, y, first, end, accumulate, 0, 4, half, PICK16);
}

CSK_AVX2 void csk_nm_gemv(const CSKNMMatrix *a, const float *x, float *y, long first_block, long end_block, int accumulate) {
    if (a->half) gemv_storage(a, x, y, first_block, end_block, accumulate, 1);
    else gemv_storage(a, x, y, first_block, end_block, accumulate, 0);
}

#else

int csk_nm_gemv_available(void) { return 0; }

void csk_nm_gemv(const CSKNMMatrix *a, const float *x, float *y, long first_block, long end_block, int accumulate) {
    (void)a, (void)x, (void)y, (void)first_block, (void)end_block, (void)accumulate;
}

#endif
