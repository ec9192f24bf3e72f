// Softmax kernels over float buffers, eight lanes at a time with TensorModule's `vectorExp`:
// libm's scalar `expf` was a third of the batched forward (softmax and SiLU, measured with perf).
import TensorModule

/// In place `x[i] = e^(x[i] - shift)` for `n` entries, `shift` ≥ every entry (the row's
/// maximum); returns their sum: eight f32 partial sums (one vector register, a fixed order)
/// added in Double at the end. With terms ≤ 1 the sum's relative error stays below 1e-5 for
/// any row of a vocabulary. One pass: exponentiate, store and add eight at a time.
func expShifted(_ x: UnsafeMutablePointer<Float>, n: Int, shift: Float) -> Double {
    let raw = UnsafeMutableRawPointer(x)
    let s = SIMD8<Float>(repeating: shift)
    var lanes = SIMD8<Float>(), more = SIMD8<Float>()
    var i = 0
    // Two vectors per step: independent chains the core can overlap.
    while i + 16 <= n {
        let e = vectorExp(raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self) - s)
        let f = vectorExp(raw.loadUnaligned(fromByteOffset: 4 * i + 32, as: SIMD8<Float>.self) - s)
        raw.storeBytes(of: e, toByteOffset: 4 * i, as: SIMD8<Float>.self)
        raw.storeBytes(of: f, toByteOffset: 4 * i + 32, as: SIMD8<Float>.self)
        lanes += e
        more += f
        i += 16
    }
    if i + 8 <= n {
        let e = vectorExp(raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self) - s)
        raw.storeBytes(of: e, toByteOffset: 4 * i, as: SIMD8<Float>.self)
        lanes += e
        i += 8
    }
    lanes += more
    var sum = 0.0
    for lane in 0..<8 { sum += Double(lanes[lane]) }
    while i < n {
        x[i] = vectorExp(x[i] - shift)
        sum += Double(x[i])
        i += 1
    }
    return sum
}

/// The largest of `x[0..<n]` (n ≥ 1), eight running maxima in a vector register: one
/// running maximum waits on itself every element. The maximum does not depend on the order,
/// so the result is exact.
func maximum(_ x: UnsafePointer<Float>, n: Int) -> Float {
    var best = x[0]
    var i = 0
    if n >= 8 {
        let raw = UnsafeRawPointer(x)
        var lanes = raw.loadUnaligned(as: SIMD8<Float>.self)
        i = 8
        while i + 8 <= n {
            let v = raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            lanes.replace(with: v, where: v .> lanes)
            i += 8
        }
        for lane in 0..<8 where lanes[lane] > best { best = lanes[lane] }
    }
    while i < n {
        if x[i] > best { best = x[i] }
        i += 1
    }
    return best
}
