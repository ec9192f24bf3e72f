/// A matrix `[rows, columns]` in which every row keeps exactly `n` of each `m` consecutive
/// columns (m ≤ 16), stored compressed: the kept values (f32, or f16 to halve them) and, per
/// kept value, its position inside its group in ⌈log₂ m⌉ bits (2 bits for m = 4).
///
/// Layout, for kernels vectorised across rows (`NMMatrix+Kernels.swift`): rows go in blocks
/// of 8 (the last block padded with zero rows); within a block, kept slot k of the 8 rows
/// is 8 consecutive values and 8 positions packed into ⌈log₂ m⌉ bytes (row r of the block at
/// bits r·b ..< (r+1)·b, least-significant first). So one SIMD8 load takes slot k's values
/// for 8 rows, and one small integer load their positions.
///
/// A group with fewer than n nonzeros stores explicit zeros at its first unused positions,
/// so every group holds exactly n entries and the kernels never branch on the pattern.
public struct NMMatrix: Sendable {
    /// How kept values are stored.
    public enum Storage: String, Sendable, CaseIterable {
        /// 4 bytes per value, exact.
        case f32
        /// 2 bytes per value (IEEE half), rounded to nearest; computed in f32.
        case f16
    }

    /// Rows per block: the SIMD width of the kernels.
    static let lanes = 8
    /// The largest group size (8 positions of 4 bits fit one 32-bit load).
    public static let largestM = 16

    /// The matrix's shape.
    public let rows: Int, columns: Int
    /// The pattern: n kept of every m consecutive columns.
    public let n: Int, m: Int
    /// How the values are stored.
    public let storage: Storage
    /// The kept values, `[block][slot][lane]` (empty with f16 storage).
    let values: [Float]
    /// The kept values in half precision, same layout (empty with f32 storage).
    let halfValues: [Float16]
    /// The packed positions, `[block][slot]` of `bitsPerIndex` bytes each, then 8 zero bytes
    /// so kernels may read any slot with one unaligned 32-bit load.
    let indices: [UInt8]

    /// Bits per in-group position: ⌈log₂ m⌉ (at least 1).
    public var bitsPerIndex: Int { max(1, Int.bitWidth - (m - 1).leadingZeroBitCount) }
    /// Kept values per row.
    public var keptPerRow: Int { columns / m * n }
    /// Row blocks of 8.
    var blocks: Int { (rows + NMMatrix.lanes - 1) / NMMatrix.lanes }
    /// The bytes the compressed matrix occupies (values and positions, padding rows included).
    public var nbytes: Int {
        blocks * NMMatrix.lanes * keptPerRow * (storage == .f32 ? 4 : 2) + blocks * keptPerRow * bitsPerIndex
    }

    /// Compresses the row-major `dense` matrix. Without `prune` every group must already have
    /// at most n nonzeros (else an error counting the groups that do not); with `prune` each
    /// group keeps its n largest magnitudes (the lower position first on ties).
    public init(dense: [Float], rows: Int, columns: Int, n: Int, m: Int, storage: Storage = .f32,
                prune: Bool = false) throws(SparseError) {
        try Self.checkPattern(n: n, m: m, rows: rows, columns: columns)
        guard dense.count == rows * columns else {
            throw SparseError("expected \(rows * columns) values for a [\(rows), \(columns)] matrix, got \(dense.count)", kind: .shape)
        }
        if !prune {
            let bad = Self.violations(dense, rows: rows, columns: columns, n: n, m: m)
            guard bad == 0 else {
                throw SparseError("the matrix is not \(n):\(m): \(bad) of its \(rows * columns / m) groups of \(m) have more than \(n) nonzeros; "
                                  + "prune it first (magnitude(w, nm: [\(n), \(m)])) or pass prune: true to keep the \(n) largest of each group")
            }
        }
        self.rows = rows
        self.columns = columns
        self.n = n
        self.m = m
        self.storage = storage
        let kept = columns / m * n, bits = max(1, Int.bitWidth - (m - 1).leadingZeroBitCount)
        let blocks = (rows + NMMatrix.lanes - 1) / NMMatrix.lanes
        var values = [Float](repeating: 0, count: blocks * NMMatrix.lanes * kept)
        var indices = [UInt8](repeating: 0, count: blocks * kept * bits + 8)
        var positions = [Int](repeating: 0, count: n)
        dense.withUnsafeBufferPointer { w in
            for r in 0..<rows {
                for g in 0..<columns / m {
                    let base = r * columns + g * m
                    Self.keptPositions(w, base: base, n: n, m: m, prune: prune, into: &positions)
                    for (j, p) in positions.enumerated() {
                        let slot = (r / NMMatrix.lanes) * kept + g * n + j
                        values[slot * NMMatrix.lanes + r % NMMatrix.lanes] = w[base + p]
                        let bit = slot * bits * 8 + (r % NMMatrix.lanes) * bits
                        for b in 0..<bits where p & (1 << b) != 0 { indices[(bit + b) >> 3] |= UInt8(1 << ((bit + b) & 7)) }
                    }
                }
            }
        }
        self.indices = indices
        if storage == .f32 {
            self.values = values
            self.halfValues = []
        } else {
            self.values = []
            self.halfValues = values.map { Float16($0) }
        }
    }

    /// The number of groups of m consecutive columns in which more than n entries are nonzero.
    public static func violations(_ dense: [Float], rows: Int, columns: Int, n: Int, m: Int) -> Int {
        var bad = 0
        dense.withUnsafeBufferPointer { w in
            for start in stride(from: 0, to: rows * columns, by: m) {
                var nonzero = 0
                for j in 0..<m where w[start + j] != 0 { nonzero += 1 }
                if nonzero > n { bad += 1 }
            }
        }
        return bad
    }

    /// Checks that n:m is a pattern (1 ≤ n ≤ m ≤ 16) that divides the columns.
    static func checkPattern(n: Int, m: Int, rows: Int, columns: Int) throws(SparseError) {
        guard m >= 1, m <= largestM, n >= 1, n <= m else {
            throw SparseError("expected 1 ≤ n ≤ m ≤ \(largestM), got n \(n), m \(m)")
        }
        guard rows >= 0, columns >= 0, columns % m == 0 else {
            throw SparseError("\(n):\(m) needs a column count that is a multiple of \(m), got \(columns) columns", kind: .shape)
        }
    }

    /// The n in-group positions (ascending) a group keeps: its nonzeros, padded with its first
    /// zero positions; with `prune`, its n largest magnitudes.
    private static func keptPositions(_ w: UnsafeBufferPointer<Float>, base: Int, n: Int, m: Int, prune: Bool,
                                      into positions: inout [Int]) {
        var taken = UInt32(0), count = 0
        if prune {
            for slot in 0..<n {
                var best = -1
                for j in 0..<m where taken & (1 << j) == 0 && (best < 0 || abs(w[base + j]) > abs(w[base + best])) { best = j }
                taken |= 1 << best
                positions[slot] = best
            }
        } else {
            for j in 0..<m where w[base + j] != 0 && count < n {
                taken |= 1 << j
                positions[count] = j
                count += 1
            }
            var j = 0
            while count < n {
                if taken & (1 << j) == 0 {
                    taken |= 1 << j
                    positions[count] = j
                    count += 1
                }
                j += 1
            }
        }
        positions.sort()
    }

    /// The packed positions of slot `slot` (block-major) for its 8 rows, row r at bits r·b.
    @inline(__always)
    func slotPositions(_ idx: UnsafePointer<UInt8>, _ slot: Int) -> UInt32 {
        UnsafeRawPointer(idx + slot * bitsPerIndex).loadUnaligned(as: UInt32.self)
    }

    /// The column of kept value `k` of row `r`.
    @inline(__always)
    func column(_ r: Int, _ k: Int, _ idx: UnsafePointer<UInt8>) -> Int {
        let word = slotPositions(idx, (r / NMMatrix.lanes) * keptPerRow + k)
        let bits = bitsPerIndex
        return k / n * m + Int((word >> UInt32((r % NMMatrix.lanes) * bits)) & UInt32((1 << bits) - 1))
    }

    /// Kept value `k` of row `r`, in f32.
    func value(row r: Int, kept k: Int) -> Float {
        let i = ((r / NMMatrix.lanes) * keptPerRow + k) * NMMatrix.lanes + r % NMMatrix.lanes
        return storage == .f32 ? values[i] : Float(halfValues[i])
    }

    /// The dense row-major matrix (zeros where nothing is kept; f16 values as stored).
    public func dense() -> [Float] {
        var out = [Float](repeating: 0, count: rows * columns)
        indices.withUnsafeBufferPointer { idx in
            for r in 0..<rows {
                for k in 0..<keptPerRow { out[r * columns + column(r, k, idx.baseAddress!)] = value(row: r, kept: k) }
            }
        }
        return out
    }
}
