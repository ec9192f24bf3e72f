/// Per-lane selection `out[i] = group[positions[i]]` among the m entries of one group of x,
/// written with integer SIMD operations only (shifts, xor, and/or on the floats' bits), which
/// compile to vector instructions; `SIMDMask`-based `replace(with:where:)` is scalarised
/// lane by lane (measured: 40× slower in the GEMV). Made once per group and used for every
/// kept slot and row block that reads the group.
struct LanePick {
    /// The group's entries as broadcast bit patterns (the first four; all m are read through
    /// `group` when m ≠ 4).
    private let c0, c1, c2, c3: SIMD8<UInt32>
    private let group: UnsafePointer<Float>
    private let m: Int

    /// The picker for the m entries at `group`.
    @inline(__always)
    init(_ group: UnsafePointer<Float>, m: Int) {
        self.group = group
        self.m = m
        c0 = LanePick.broadcast(group[0])
        (c1, c2, c3) = m == 4 ? (LanePick.broadcast(group[1]), LanePick.broadcast(group[2]), LanePick.broadcast(group[3]))
                              : (c0, c0, c0)
    }

    /// `group[p_i]` for every lane i, where `word` packs the 8 lanes' positions p_i < m in
    /// `bits` bits each (lane i at bits i·bits, least-significant first).
    @inline(__always)
    func pick(_ word: UInt32, bits: Int) -> SIMD8<Float> {
        if m == 4 {
            // A two-level tree on the position's two bits: bit 0 picks within (0, 1) and (2, 3),
            // bit 1 between them. A bit becomes an all-ones lane by shifting it to the sign
            // and back (constant shifts: vpsllvd + vpsrad).
            let packed = SIMD8<Int32>(repeating: Int32(bitPattern: word))
            let lowBitToSign = SIMD8<Int32>(31, 29, 27, 25, 23, 21, 19, 17)
            let low = unsafeBitCast((packed &<< lowBitToSign) &>> 31, to: SIMD8<UInt32>.self)
            let high = unsafeBitCast((packed &<< (lowBitToSign &- 1)) &>> 31, to: SIMD8<UInt32>.self)
            return unsafeBitCast(LanePick.blend(LanePick.blend(c0, c1, low), LanePick.blend(c2, c3, low), high),
                                 to: SIMD8<Float>.self)
        }
        let shifts = SIMD8<UInt32>(0, 1, 2, 3, 4, 5, 6, 7) &* UInt32(bits)
        let positions = (SIMD8<UInt32>(repeating: word) &>> shifts) & UInt32((1 << bits) - 1)
        var out = c0
        for c in 1..<m {
            let difference = positions ^ UInt32(c)
            // All ones where the difference is zero: (d | −d) has its top bit set iff d ≠ 0.
            let equal = ((difference | (0 &- difference)) &>> 31) &- 1
            out = LanePick.blend(out, LanePick.broadcast(group[c]), equal)
        }
        return unsafeBitCast(out, to: SIMD8<Float>.self)
    }

    /// The bits of `value` in every lane.
    @inline(__always)
    private static func broadcast(_ value: Float) -> SIMD8<UInt32> {
        SIMD8<UInt32>(repeating: value.bitPattern)
    }

    /// `b` where `mask` is all ones, `a` where it is zero.
    @inline(__always)
    private static func blend(_ a: SIMD8<UInt32>, _ b: SIMD8<UInt32>, _ mask: SIMD8<UInt32>) -> SIMD8<UInt32> {
        (a & ~mask) | (b & mask)
    }
}
