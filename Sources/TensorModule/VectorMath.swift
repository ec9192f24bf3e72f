// exp and log over SIMD lanes: libm's scalar `exp`/`log`/`expf` dominated the batched forward
// (softmax, SiLU) and TSENOR's Dykstra steps (measured with perf). Plain vector arithmetic,
// lane masks and bit casts, which compile to straight AVX in the Haswell-targeted kernel
// modules (the functions are `@inlinable`, so they compile with the caller's settings).
// Plain multiplies and adds, not `addingProduct`: without FMA in the target (debug builds)
// that becomes a libm `fma` call per lane.

/// `e^x` in each lane (f32, Cephes-style): x = n·ln2 + r with |r| ≤ ln2/2, a degree-7
/// polynomial for e^r, and 2^n put straight into the exponent bits; rounding uses the
/// 1.5·2²³ trick and integer ops wrap. Relative error below 2e-7 on [-87, 88]; inputs below
/// -87.3 give ≈ 1e-38 instead of 0.
@inlinable @inline(__always)
public func vectorExp(_ x: SIMD8<Float>) -> SIMD8<Float> {
    var v = x
    v.replace(with: -87.3, where: v .< -87.3)
    v.replace(with: 88.7, where: v .> 88.7)
    let magic = SIMD8<Float>(repeating: 12_582_912)
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

/// `e^x` of one value, the same arithmetic as one lane of the f32 `vectorExp` (for buffer tails).
@inlinable @inline(__always)
public func vectorExp(_ x: Float) -> Float {
    vectorExp(SIMD8(repeating: x))[0]
}

/// `e^x` in each lane (f64), within 2 ulp of libm: x = n·ln2 + r with |r| ≤ ln2/2 (ln2 split
/// in two, Cody–Waite), the degree-13 Taylor polynomial of e^r (truncation < 0.05 ulp) in
/// Estrin's scheme (measured 25% faster than Horner's one long dependency chain), and
/// 2^n applied as two exponent-bit factors so results down to the subnormals (x ≥ -745.1)
/// stay right. Below that 0, above 709.78 +∞, NaN stays NaN.
@inlinable @inline(__always)
public func vectorExp(_ x: SIMD4<Double>) -> SIMD4<Double> {
    var v = x
    v.replace(with: -745.5, where: v .< -745.5)
    v.replace(with: 709.9, where: v .> 709.9)
    let magic = SIMD4<Double>(repeating: 6_755_399_441_055_744)  // 1.5·2⁵²
    let t = v * 1.442_695_040_888_963_4 + magic         // t's low mantissa bits hold round(v / ln2)
    let n = t - magic
    let r = (v - n * 6.931_471_803_691_238_164_90e-1) - n * 1.908_214_929_270_587_700_02e-10
    // e^r = 1 + r + r²·q(r), q's 12 coefficients 1/2!, …, 1/13! by Estrin (short dependency chains)
    let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
    let q01 = r * (1.0 / 6) + 0.5
    let q23 = r * (1.0 / 120) + 1.0 / 24
    let q45 = r * (1.0 / 5_040) + 1.0 / 720
    let q67 = r * (1.0 / 362_880) + 1.0 / 40_320
    let q89 = r * (1.0 / 39_916_800) + 1.0 / 3_628_800
    let qab = r * (1.0 / 6_227_020_800) + 1.0 / 479_001_600
    let q03 = r2 * q23 + q01
    let q47 = r2 * q67 + q45
    let q8b = r2 * qab + q89
    let q = r8 * q8b + (r4 * q47 + q03)
    let p = (r2 * q + r) + 1
    let k = unsafeBitCast(t, to: SIMD4<Int64>.self) &- 0x4338_0000_0000_0000  // round(v / ln2)
    let half = k &>> 1
    let first = unsafeBitCast((half &+ 1023) &<< 52, to: SIMD4<Double>.self)
    let second = unsafeBitCast((k &- half &+ 1023) &<< 52, to: SIMD4<Double>.self)
    return p * first * second
}

/// The natural log in each lane (f64), within 1 ulp of libm (fdlibm's `__ieee754_log`):
/// x = 2^k·(1 + f) with 1 + f in [√2/2, √2), log(1 + f) = f − f²/2 + s·(f²/2 + R(s²)),
/// s = f/(2 + f). Subnormals are scaled first; 0 → −∞, negative or NaN → NaN, +∞ → +∞.
@inlinable @inline(__always)
public func vectorLog(_ x: SIMD4<Double>) -> SIMD4<Double> {
    let tiny = x .< 2.225_073_858_507_201_4e-308             // subnormal (or ≤ 0)
    let y = x.replacing(with: x * 18_014_398_509_481_984, where: tiny)  // · 2⁵⁴
    let bits = unsafeBitCast(y, to: SIMD4<Int64>.self)
    let mantissa = bits & 0x000F_FFFF_FFFF_FFFF
    let up = (mantissa &+ 0x0009_5F64_0000_0000) & 0x0010_0000_0000_0000  // 1 + f ≥ √2: halve
    var k = (bits &>> 52) &- 1023 &+ (up &>> 52)
    k.replace(with: k &- 54, where: tiny)
    let f = unsafeBitCast(mantissa | (up ^ 0x3FF0_0000_0000_0000), to: SIMD4<Double>.self) - 1
    let magic = SIMD4<Double>(repeating: 6_755_399_441_055_744)  // 1.5·2⁵²: exact k as a Double
    let dk = unsafeBitCast(k &+ 0x4338_0000_0000_0000, to: SIMD4<Double>.self) - magic
    let s = f / (2 + f)
    let z = s * s, w = z * z
    var even = w * 1.531_383_769_920_937_332e-1 + 2.222_219_843_214_978_396e-1   // Lg6, Lg4
    even = w * even + 3.999_999_999_940_941_908e-1                                 // Lg2
    var odd = w * 1.479_819_860_511_658_591e-1 + 1.818_357_216_161_805_012e-1     // Lg7, Lg5
    odd = w * odd + 2.857_142_874_366_239_149e-1                                   // Lg3
    odd = w * odd + 6.666_666_666_666_735_130e-1                                   // Lg1
    let series = z * odd + w * even
    let hfsq = 0.5 * f * f
    let low = s * (hfsq + series) + dk * 1.908_214_929_270_587_700_02e-10
    var result = dk * 6.931_471_803_691_238_164_90e-1 - ((hfsq - low) - f)
    result.replace(with: -.infinity, where: x .== 0)
    result.replace(with: .infinity, where: x .== .infinity)
    result.replace(with: .nan, where: (x .< 0) .| (x .!= x))
    return result
}
