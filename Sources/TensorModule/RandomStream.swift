import RealModule

/// A deterministic pseudo-random stream, identical on every machine: xoshiro256** (Blackman
/// and Vigna, 2018) whose four state words are the first four outputs of SplitMix64 started
/// at the seed.
///
/// Exact algorithm (all arithmetic wrapping modulo 2⁶⁴):
/// - Seeding, SplitMix64, four times: `x += 0x9e3779b97f4a7c15; z = x;
///   z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9; z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
///   s[k] = z ^ (z >> 31)`, with `x` starting at the seed.
/// - `next()`: `result = rotl(s1 * 5, 7) * 9; t = s1 << 17; s2 ^= s0; s3 ^= s1; s1 ^= s2;
///   s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)`.
/// - `nextDouble()`: `Double(next() >> 11) · 2⁻⁵³`, in [0, 1).
/// - `nextFloat()`: `Float(next() >> 40) · 2⁻²⁴`, in [0, 1).
/// - `nextNormal()`: Box–Muller on `u1 = 1 − nextDouble()` (in (0, 1], so the log is finite)
///   and `u2 = nextDouble()`: `r = √(−2 ln u1)`, returns `r cos(2π u2)` and caches
///   `r sin(2π u2)` for the following call (a pair per two uniforms).
/// - `nextInt(below: n)`: Lemire's multiply-shift with rejection, unbiased: take the high
///   word of `next() · n`, redrawing while the low word is below `(2⁶⁴ − n) mod n`.
///
/// The integer outputs and uniforms are bit-exact everywhere; normals go through the C
/// library's `log`, `cos` and `sin` in Double and are rounded to f32 by the tensor factories,
/// so a last-ulp libm difference essentially never shows.
public struct RandomStream: Sendable, Equatable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64
    /// The second normal of the last Box–Muller pair, not yet returned.
    private var cachedNormal: Double?

    /// A stream seeded with `seed` through SplitMix64.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9e37_79b9_7f4a_7c15
            var z = x
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
        cachedNormal = nil
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// A uniform Double in [0, 1) from the top 53 bits of `next()`.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform Float in [0, 1) from the top 24 bits of `next()`.
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * 0x1.0p-24
    }

    /// A standard normal by Box–Muller, two per pair of uniforms (see the type's doc).
    public mutating func nextNormal() -> Double {
        if let z = cachedNormal {
            cachedNormal = nil
            return z
        }
        let u1 = 1 - nextDouble()
        let u2 = nextDouble()
        let r = (-2 * Double.log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        cachedNormal = r * Double.sin(theta)
        return r * Double.cos(theta)
    }

    /// A uniform integer in `0..<bound` without modulo bias (Lemire's method); `bound` must be
    /// positive.
    public mutating func nextInt(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "nextInt(below:) needs a positive bound")
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold {
                m = next().multipliedFullWidth(by: bound)
            }
        }
        return m.high
    }

    /// `x` rotated left by `k` bits.
    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

extension Tensor {
    /// An f32 tensor of standard normals, `Float(rng.nextNormal())` in row-major order.
    public static func randn(_ shape: [Int], rng: inout RandomStream) -> Tensor {
        let n = elementCount(shape)
        let values: [Float] = makeArray(n) { out in
            for i in 0..<n { out[i] = Float(rng.nextNormal()) }
        }
        return Tensor(shape: shape, f32: values)
    }

    /// An f32 tensor of uniforms in [0, 1), `rng.nextFloat()` in row-major order.
    public static func rand(_ shape: [Int], rng: inout RandomStream) -> Tensor {
        let n = elementCount(shape)
        let values: [Float] = makeArray(n) { out in
            for i in 0..<n { out[i] = rng.nextFloat() }
        }
        return Tensor(shape: shape, f32: values)
    }

    /// An i32 tensor of uniform integers in `lo..<hi`, `lo + rng.nextInt(below: hi − lo)` in
    /// row-major order.
    public static func randint(_ lo: Int, _ hi: Int, _ shape: [Int], rng: inout RandomStream) throws -> Tensor {
        guard lo < hi else { throw TensorError("randint needs lo < hi, got lo \(lo) and hi \(hi)") }
        guard lo >= Int(Int32.min), hi - 1 <= Int(Int32.max) else {
            throw TensorError("randint bounds must fit in i32, got lo \(lo) and hi \(hi)")
        }
        let n = elementCount(shape)
        let span = UInt64(hi - lo)
        let values: [Int32] = makeArray(n) { out in
            for i in 0..<n { out[i] = Int32(lo + Int(rng.nextInt(below: span))) }
        }
        return Tensor(shape: shape, i32: values)
    }
}
