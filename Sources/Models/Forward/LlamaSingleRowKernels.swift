// Attention for one row at a time (KV-cache decoding, batch 1): at this size two BLAS calls
// per head cost more than their arithmetic, so the products run as vectorised loops here.

/// Attention of one query row at position `position` over the cached keys and values
/// `0...position`: the one-row case of `llamaAttention`, same semantics, with keys stored
/// transposed (`transposedKeys[d · cacheRows + s]`, d over the kv width) so each head's scores
/// are `Σ_d q[d] · K[d, 0...position]`, contiguous and vectorised; values stay `[*, kvDim]`.
func llamaAttentionOneRow(_ out: UnsafeMutablePointer<Float>, query: UnsafePointer<Float>,
                          transposedKeys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                          scores: UnsafeMutablePointer<Float>, position: Int, cacheRows: Int,
                          nHeads: Int, nKVHeads: Int, headSize: Int) {
    let kvDim = nKVHeads * headSize
    let group = nHeads / nKVHeads
    let scale = 1 / Float(headSize).squareRoot()
    let visible = position + 1
    for h in 0..<nHeads {
        let q = query + h * headSize
        let kvOffset = (h / group) * headSize
        scores.update(repeating: 0, count: visible)
        for d in 0..<headSize {
            let a = scale * q[d], keyRow = transposedKeys + (kvOffset + d) * cacheRows
            for s in 0..<visible { scores[s] += a * keyRow[s] }
        }
        llamaSoftmax(scores, n: visible)
        weightedSum(out + h * headSize, weights: scores, rows: values + kvOffset, count: visible, stride: kvDim,
                    width: headSize)
    }
}

/// `out[0..<width] = Σ_s weights[s] · rows[s·stride ..< s·stride + width]`, eight columns at a
/// time; four interleaved vector sums over `s` (added at the end, a fixed order) so the fused
/// multiply-adds do not wait on each other.
private func weightedSum(_ out: UnsafeMutablePointer<Float>, weights: UnsafePointer<Float>, rows: UnsafePointer<Float>,
                         count: Int, stride: Int, width: Int) {
    var c = 0
    while c + 8 <= width {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        var p = UnsafeRawPointer(rows + c)
        let step = 4 * stride
        var s = 0
        while s + 4 <= count {
            a0.addProduct(SIMD8(repeating: weights[s]), p.loadUnaligned(as: SIMD8<Float>.self))
            a1.addProduct(SIMD8(repeating: weights[s + 1]), (p + step).loadUnaligned(as: SIMD8<Float>.self))
            a2.addProduct(SIMD8(repeating: weights[s + 2]), (p + 2 * step).loadUnaligned(as: SIMD8<Float>.self))
            a3.addProduct(SIMD8(repeating: weights[s + 3]), (p + 3 * step).loadUnaligned(as: SIMD8<Float>.self))
            p += 4 * step
            s += 4
        }
        while s < count {
            a0.addProduct(SIMD8(repeating: weights[s]), p.loadUnaligned(as: SIMD8<Float>.self))
            p += step
            s += 1
        }
        UnsafeMutableRawPointer(out + c).storeBytes(of: (a0 + a1) + (a2 + a3), as: SIMD8<Float>.self)
        c += 8
    }
    while c < width {
        var sum: Float = 0
        for s in 0..<count { sum += weights[s] * rows[s * stride + c] }
        out[c] = sum
        c += 1
    }
}
