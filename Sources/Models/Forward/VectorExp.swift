// exp over float buffers, eight lanes at a time: libm's scalar `expf` was a third of the
// batched forward (softmax and SiLU, measured with perf). Cephes-style: x = n·ln2 + r with
// |r| ≤ ln2/2, a degree-7 polynomial for e^r, and 2^n put straight into the exponent bits.
// Rounding uses the 1.5·2²³ trick and integer ops wrap, so the code is plain vector
// arithmetic, lane masks and bit casts, which compile to straight AVX. Relative error below
// 2e-7 on [-87, 88]; inputs below -87.3 give ≈ 1e-38 instead of 0.

/// `e^x` in each lane.
@inline(__always)
func vectorExp(_ x: SIMD8<Float>) -> SIMD8<Float> {
    var v = x
    v.replace(with: -87.3, where: v .< -87.3)
    v.replace(with: 88.7, where: v .> 88.7)
    let magic = SIMD8<Float>(repeating: 12_582_912)
    // Plain multiplies and adds, not `addingProduct`: without FMA in the target (debug
    // builds) that becomes a libm `fmaf` call per lane, and fusing measured no faster here.
    let t = v * 1.442_695_04 + magic                 // t's low mantissa bits hold round(v / ln2)
    let n = t - magic
    let r = v - n * 0.693_359_375 + n * 2.121_944_4e-4
    var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    p = p * r * r + r + 1
    let bits = (unsafeBitCast(t, to: SIMD8<UInt32>.self) &- 0x4B40_0000 &+ 127) &<< 23
    return p * unsafeBitCast(bits, to: SIMD8<Float>.self)
}

/// `e^x` of one value, the same arithmetic as one lane of `vectorExp` (for buffer tails).
@inline(__always)
func vectorExp(_ x: Float) -> Float {
    vectorExp(SIMD8(repeating: x))[0]
}

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
