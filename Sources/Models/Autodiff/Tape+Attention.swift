import TensorModule

// Causal grouped-query attention over a batch of windows on the tape. The forward is the
// inference kernel `llamaAttention` per window; the backward recomputes each head's
// probabilities (one T × T block at a time) instead of keeping them.
extension Tape {
    /// Causal attention for `windows` windows of `T = rows / windows` tokens each, every
    /// window at positions `0..<T` (its own keys only): `q` is `[rows, nHeads × headSize]`,
    /// `k` and `v` are `[rows, nKVHeads × headSize]` (already rotated); query head `h` reads
    /// kv head `h / (nHeads / nKVHeads)`; scores are scaled by `1/√headSize`. Gives
    /// `[rows, nHeads × headSize]`, the heads side by side.
    public func attention(query q: Variable, key k: Variable, value v: Variable, windows: Int,
                          nHeads: Int, nKVHeads: Int, headSize: Int) throws(ModelError) -> Variable {
        let qt = value(q), kt = value(k), vt = value(v)
        let rows = qt.shape.first ?? 0
        let dim = nHeads * headSize, kvDim = nKVHeads * headSize
        guard nHeads > 0, nKVHeads > 0, headSize > 0, nHeads % nKVHeads == 0, windows > 0, rows % windows == 0,
              qt.shape == [rows, dim], kt.shape == [rows, kvDim], vt.shape == [rows, kvDim] else {
            throw ModelError("attention: expected q [B·T, \(nHeads) × \(headSize)], k and v [B·T, \(nKVHeads) × \(headSize)] for \(windows) windows (n_heads a multiple of n_kv_heads), got q \(qt.shape), k \(kt.shape), v \(vt.shape)",
                             kind: .shape)
        }
        let T = rows / windows
        let qv = floatValues(qt), kv = floatValues(kt), vv = floatValues(vt)
        let out = withFloats(qv) { pq in withFloats(kv) { pk in withFloats(vv) { pv in makeFloats(rows * dim) { o in
            // Windows are independent: one lane per core, each with its own score block.
            nonisolated(unsafe) let (q, k, v, out) = (pq, pk, pv, o)
            concurrentWindows(windows, scratchCount: llamaAttentionBlock * T) { w, scores in
                llamaAttention(out + w * T * dim, query: q + w * T * dim, keys: k + w * T * kvDim,
                               values: v + w * T * kvDim, scores: scores, rows: T, start: 0,
                               nHeads: nHeads, nKVHeads: nKVHeads, headSize: headSize)
            }
        } } } }
        let shape = AttentionShape(windows: windows, length: T, nHeads: nHeads, nKVHeads: nKVHeads, headSize: headSize)
        return record(Tensor(shape: [rows, dim], f32: out), inputs: [q, k, v]) { up, _ in
            var dq = [Float](repeating: 0, count: qv.count), dk = [Float](repeating: 0, count: kv.count), dv = dk
            withFloats(up) { g in withFloats(qv) { pq in withFloats(kv) { pk in withFloats(vv) { pv in
                dq.withUnsafeMutableBufferPointer { dqb in dk.withUnsafeMutableBufferPointer { dkb in
                    dv.withUnsafeMutableBufferPointer { dvb in
                        guard let dqp = dqb.baseAddress, let dkp = dkb.baseAddress, let dvp = dvb.baseAddress else { return }
                        attentionBackward(shape, dOut: g, q: pq, k: pk, v: pv, dq: dqp, dk: dkp, dv: dvp)
                    }
                } }
            } } } }
            return [dq, dk, dv]
        }
    }
}

/// The sizes of a batched attention.
struct AttentionShape {
    let windows, length, nHeads, nKVHeads, headSize: Int
}

/// Gradients of batched causal attention (zeroed `dq`, `dk`, `dv` in, accumulated). Per
/// window and head, with `S = scale · Q Kᵀ`, `P = softmax(S)` over the visible keys and
/// `O = P V`: `dP = dO Vᵀ`, `dV += Pᵀ dO`, `dS = P ⊙ (dP − rowsum(P ⊙ dP))`,
/// `dQ = scale · dS K`, `dK += scale · dSᵀ Q`. Query rows go in the forward's blocks, so `P`
/// is recomputed exactly as the forward computed it and the masked triangle beyond a block is
/// skipped.
func attentionBackward(_ a: AttentionShape, dOut: UnsafePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>,
                       v: UnsafePointer<Float>, dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>,
                       dv: UnsafeMutablePointer<Float>) {
    let T = a.length, hs = a.headSize, block = llamaAttentionBlock
    let dim = a.nHeads * hs, kvDim = a.nKVHeads * hs, group = a.nHeads / a.nKVHeads
    let scale = 1 / Float(hs).squareRoot()
    nonisolated(unsafe) let (q, k, v, dOut, dq, dk, dv) = (q, k, v, dOut, dq, dk, dv)
    // Windows write disjoint slices of dq, dk and dv: one lane per core.
    concurrentWindows(a.windows, scratchCount: 2 * block * T) { w, p in
        let dp = p + block * T
        let qw = q + w * T * dim, gw = dOut + w * T * dim, dqw = dq + w * T * dim
        let kw = k + w * T * kvDim, vw = v + w * T * kvDim, dkw = dk + w * T * kvDim, dvw = dv + w * T * kvDim
        for h in 0..<a.nHeads {
            let kvOffset = (h / group) * hs
            for first in stride(from: 0, to: T, by: block) {
                let count = min(block, T - first), context = first + count
                let qh = qw + first * dim + h * hs, gh = gw + first * dim + h * hs
                gemm(false, true, count, context, hs, scale, qh, dim, kw + kvOffset, kvDim, 0, p, context)
                gemm(false, true, count, context, hs, 1, gh, dim, vw + kvOffset, kvDim, 0, dp, context)
                for r in 0..<count {
                    let pr = p + r * context, dpr = dp + r * context, visible = first + r + 1
                    llamaSoftmax(pr, n: visible)
                    (pr + visible).update(repeating: 0, count: context - visible)
                    var dot: Float = 0
                    for j in 0..<visible { dot += pr[j] * dpr[j] }
                    for j in 0..<visible { dpr[j] = pr[j] * (dpr[j] - dot) }
                    (dpr + visible).update(repeating: 0, count: context - visible)
                }
                gemm(true, false, context, hs, count, 1, p, context, gh, dim, 1, dvw + kvOffset, kvDim)
                gemm(false, false, count, hs, context, scale, dp, context, kw + kvOffset, kvDim, 0, dqw + first * dim + h * hs, dim)
                gemm(true, false, context, hs, count, scale, dp, context, qh, dim, 1, dkw + kvOffset, kvDim)
            }
        }
    }
}
