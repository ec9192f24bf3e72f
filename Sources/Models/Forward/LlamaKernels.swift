import COpenBLAS
import Foundation
import TensorModule

// Flat kernels of the LLaMA forward pass over row-major buffers, as in llama2.c's run.c.
// Every kernel works on `rows` consecutive rows so the batched path (a whole window) and the
// single-token path (one row) share them. No kernel allocates.

/// RMSNorm of `rows` rows of width `n`: `out = x * rsqrt(mean(x²) + eps) * w` (run.c `rmsnorm`,
/// float accumulation). `out` may equal `x`.
func llamaRMSNorm(_ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                  rows: Int, n: Int, eps: Float) {
    for r in 0..<rows {
        let row = x + r * n
        let dst = out + r * n
        var ss: Float = 0
        for j in 0..<n { ss += row[j] * row[j] }
        ss = ss / Float(n) + eps
        let scale = 1 / ss.squareRoot()
        for j in 0..<n { dst[j] = weight[j] * (scale * row[j]) }
    }
}

/// Rotary embedding in place on `rows` rows of width `width` (several heads of `headSize`), row
/// `r` at position `start + r`: pair `i` of each head turns by the angle whose cosine and sine
/// are `cos[pos · headSize/2 + i]`, `sin[…]`. The interleaved style (llama2.c) pairs
/// dimensions `(2i, 2i+1)`, the half style (Hugging Face `rotate_half`) pairs `(i, i + headSize/2)`.
func llamaRoPE(_ v: UnsafeMutablePointer<Float>, rows: Int, width: Int, headSize: Int, start: Int,
               cos: UnsafePointer<Float>, sin: UnsafePointer<Float>, style: RopeStyle) {
    let pairs = headSize / 2
    for r in 0..<rows {
        let table = (start + r) * pairs
        var head = v + r * width
        let end = head + width
        while head < end {
            for i in 0..<pairs {
                let c = cos[table + i], s = sin[table + i]
                let a = style == .interleaved ? 2 * i : i
                let b = style == .interleaved ? 2 * i + 1 : i + pairs
                let v0 = head[a], v1 = head[b]
                head[a] = v0 * c - v1 * s
                head[b] = v0 * s + v1 * c
            }
            head += headSize
        }
    }
}

/// Softmax in place over the first `n` entries: subtract the max, exponentiate, divide by
/// the sum (run.c `softmax`; the sum in Double).
func llamaSoftmax(_ x: UnsafeMutablePointer<Float>, n: Int) {
    let inverse = Float(1 / expShifted(x, n: n, shift: maximum(x, n: n)))
    for i in 0..<n { x[i] *= inverse }
}

/// Query rows per block in `llamaAttention` (and its backward on the tape).
let llamaAttentionBlock = 64

/// Causal multi-head attention for `rows` query rows at positions `start..<start+rows` over
/// key/value rows `0..<start+rows` (`[*, kvDim]`, already rotated): query head `h` reads kv head
/// `h / (nHeads / nKVHeads)`, scores are scaled by `1/√headSize`. `scores` holds
/// `rows × (start+rows)` floats; `out` is `[rows, nHeads × headSize]`.
func llamaAttention(_ out: UnsafeMutablePointer<Float>, query: UnsafePointer<Float>, keys: UnsafePointer<Float>,
                    values: UnsafePointer<Float>, scores: UnsafeMutablePointer<Float>,
                    rows: Int, start: Int, nHeads: Int, nKVHeads: Int, headSize: Int) {
    let dim = nHeads * headSize
    let kvDim = nKVHeads * headSize
    let group = nHeads / nKVHeads
    let scale = 1 / Float(headSize).squareRoot()
    // Query rows go in blocks: a block's rows see at most `start + end` keys, so the products
    // skip the masked upper triangle beyond the block (about half the work of a window).
    let block = llamaAttentionBlock
    for h in 0..<nHeads {
        let kvHead = h / group
        for first in stride(from: 0, to: rows, by: block) {
            let count = min(block, rows - first), context = start + first + count
            // scores[count, context] = scale · Q_h · K_hᵀ
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(count), Int32(context), Int32(headSize),
                        scale, query + first * dim + h * headSize, Int32(dim), keys + kvHead * headSize, Int32(kvDim),
                        0, scores, Int32(context))
            for r in 0..<count {
                let row = scores + r * context
                let visible = start + first + r + 1
                llamaSoftmax(row, n: visible)
                (row + visible).update(repeating: 0, count: context - visible)
            }
            // out_h[count, headSize] = P · V_h
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(count), Int32(headSize), Int32(context),
                        1, scores, Int32(context), values + kvHead * headSize, Int32(kvDim),
                        0, out + first * dim + h * headSize, Int32(dim))
        }
    }
}

/// SwiGLU gate in place: `gate[i] = silu(gate[i]) · up[i]` for `n` entries.
func llamaSwiGLU(_ gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, n: Int) {
    let g = UnsafeMutableRawPointer(gate), u = UnsafeRawPointer(up)
    var i = 0
    while i + 8 <= n {
        let x = g.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
        let y = u.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
        g.storeBytes(of: x / (1 + vectorExp(-x)) * y, toByteOffset: 4 * i, as: SIMD8<Float>.self)
        i += 8
    }
    while i < n {
        gate[i] = gate[i] / (1 + vectorExp(-gate[i])) * up[i]
        i += 1
    }
}
