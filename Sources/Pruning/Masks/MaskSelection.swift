import TensorModule

// The one selection every score-based pruner shares (algorithms.md §0): from f64 scores
// `[out, in]` to the bool keep-mask (true = kept), either unstructured (`sparsity: s`
// removes exactly ⌊s·n + 1e-9⌋ of each row, or of the whole matrix) or N:M (`nm: [n, m]`
// keeps n of every m consecutive inputs of a row). Ties: among equal scores the lower index
// (row-major for a whole matrix) is kept first; NaN scores rank below every number.
// TensorModule's `maskTopK`/`maskNM` select on 32-bit keys of f32 tensors; these select on
// 64-bit keys of f64 scores with the same count and tie rules (the tests check that the two
// agree on scores f32 holds exactly).

/// How much of a layer to remove: a fraction per selection unit, or an N:M pattern.
public enum PruningTarget: Sendable, Equatable, CustomStringConvertible {
    /// Remove `⌊s·n + 1e-9⌋` of each unit of n items, `0 ≤ s < 1`.
    case sparsity(Double)
    /// Keep `n` of every `m` consecutive inputs of a row, `0 < n ≤ m`.
    case nm(n: Int, m: Int)

    /// The common patterns with m = 2n, where "n kept" and "m − n pruned" agree; the
    /// divisibility message lists those that fit.
    public static let commonPatterns: [(n: Int, m: Int)] = [(1, 2), (2, 4), (4, 8), (8, 16)]

    /// The target from a builtin's options: exactly one of `sparsity` and `nm`, checked.
    public init(sparsity: Double?, nm: (n: Int, m: Int)?) throws {
        switch (sparsity, nm) {
        case (.some, .some):
            throw PruningError("give either sparsity or nm, not both")
        case (nil, nil):
            throw PruningError("give sparsity: s (the fraction removed) or nm: [n, m] (n kept of every m)")
        case (.some(let s), nil):
            guard s >= 0, s < 1 else { throw PruningError("sparsity must be in [0, 1), got \(formatValue(s))") }
            self = .sparsity(s)
        case (nil, .some(let p)):
            guard p.n > 0, p.m > 0, p.n <= p.m else {
                throw PruningError("nm: [\(p.n), \(p.m)] keeps n of every m and needs 0 < n ≤ m, got n = \(p.n), m = \(p.m)")
            }
            self = .nm(n: p.n, m: p.m)
        }
    }

    /// `sparsity: 0.5` or `nm: [2, 4]`, as the options are written.
    public var description: String {
        switch self {
        case .sparsity(let s): return "sparsity: \(formatValue(s))"
        case .nm(let n, let m): return "nm: [\(n), \(m)]"
        }
    }

    /// Checks that the target fits a layer of `shape` `[out, in]`: an N:M pattern needs `in`
    /// to be a multiple of m. The message starts with the option (`nm: [4, 8] does not fit
    /// …`) so a caller that knows the layer's name can prefix it (`layers.0.w2: nm: …`).
    public func check(shape: [Int]) throws {
        guard case .nm(let n, let m) = self, shape.count == 2 else { return }
        let inputs = shape[1]
        guard inputs % m != 0 else { return }
        let fits = Self.commonPatterns.filter { inputs % $0.m == 0 }.map { "\($0.n):\($0.m)" }
        let hint = fits.isEmpty
            ? "none of 1:2, 2:4, 4:8, 8:16 fits"
            : "patterns that fit: " + fits.joined(separator: ", ")
        throw PruningError("nm: [\(n), \(m)] does not fit a layer with \(inputs) inputs (shape \(formatShape(shape)): "
                           + "\(inputs) is not a multiple of \(m)); \(hint)", kind: .shape)
    }
}

/// The unit an unstructured sparsity counts over.
public enum SelectionScope: String, Sendable, CaseIterable {
    /// Each output row loses exactly `⌊s·in + 1e-9⌋` (Wanda's, GBLM's and magnitude's default).
    case row
    /// The whole matrix loses exactly `⌊s·out·in + 1e-9⌋` (the codebases' magnitude baseline).
    case layer
}

/// Keep-masks from f64 scores (see the top of this file for the rules).
public enum MaskSelection {
    /// The bool keep-mask `[out, in]` for `scores` and `target`. `scope` counts unstructured
    /// sparsity per row or over the whole matrix; N:M groups are always within a row, so
    /// `scope: .layer` with an N:M target is an error.
    public static func keepMask(_ scores: ScoreMatrix, target: PruningTarget, scope: SelectionScope = .row) throws -> Tensor {
        try target.check(shape: scores.shape)
        switch target {
        case .sparsity(let s):
            guard s >= 0, s < 1 else { throw PruningError("sparsity must be in [0, 1), got \(formatValue(s))") }
            switch scope {
            case .row: return rowMask(scores, sparsity: s)
            case .layer: return layerMask(scores, sparsity: s)
            }
        case .nm(let n, let m):
            guard n > 0, m > 0, n <= m else {
                throw PruningError("nm: [\(n), \(m)] keeps n of every m and needs 0 < n ≤ m, got n = \(n), m = \(m)")
            }
            guard scope == .row else {
                throw PruningError("scope: \"layer\" applies to sparsity: only; n:m groups always lie within a row")
            }
            return nmMask(scores, n: n, m: m)
        }
    }

    /// The number removed of a unit of `length` items at sparsity `s`: `⌊s·length + 1e-9⌋`.
    public static func prunedCount(sparsity s: Double, length: Int) -> Int {
        // The range was checked by the caller, so TensorModule's shared count cannot throw.
        (try? Tensor.maskPrunedCount(sparsity: s, length: length)) ?? 0
    }

    /// Each row keeps all but its `⌊s·in + 1e-9⌋` lowest scores.
    static func rowMask(_ scores: ScoreMatrix, sparsity s: Double) -> Tensor {
        let rows = scores.rows, columns = scores.columns
        let keep = columns - prunedCount(sparsity: s, length: columns)
        var mask = [Bool](repeating: false, count: rows * columns)
        var keys = [UInt64](repeating: 0, count: columns)
        scores.values.withUnsafeBufferPointer { values in
            mask.withUnsafeMutableBufferPointer { out in
                keys.withUnsafeMutableBufferPointer { rowKeys in
                    for r in 0..<rows {
                        for j in 0..<columns { rowKeys[j] = orderKey(values[r * columns + j]) }
                        guard let base = out.baseAddress else { continue }
                        let slice = UnsafeMutableBufferPointer(start: base + r * columns, count: columns)
                        selectLargest(UnsafeBufferPointer(rowKeys), keep: keep, into: slice)
                    }
                }
            }
        }
        return Tensor(shape: scores.shape, bool: mask)
    }

    /// The whole matrix keeps all but its `⌊s·out·in + 1e-9⌋` lowest scores (row-major ties).
    static func layerMask(_ scores: ScoreMatrix, sparsity s: Double) -> Tensor {
        let count = scores.values.count
        let keep = count - prunedCount(sparsity: s, length: count)
        let keys = scores.values.map(orderKey)
        var mask = [Bool](repeating: false, count: count)
        keys.withUnsafeBufferPointer { k in
            mask.withUnsafeMutableBufferPointer { out in selectLargest(k, keep: keep, into: out) }
        }
        return Tensor(shape: scores.shape, bool: mask)
    }

    /// Each group `[g·m, (g+1)·m)` of a row keeps its `n` largest scores (`in % m == 0`).
    static func nmMask(_ scores: ScoreMatrix, n: Int, m: Int) -> Tensor {
        let count = scores.values.count
        var mask = [Bool](repeating: false, count: count)
        var order = [Int](repeating: 0, count: m)
        var keys = [UInt64](repeating: 0, count: m)
        scores.values.withUnsafeBufferPointer { values in
            var start = 0
            while start < count {
                // Insertion sort of the group's positions: larger key first, then lower index
                // (a strict comparison never moves a later equal key before an earlier one).
                for j in 0..<m {
                    let key = orderKey(values[start + j])
                    keys[j] = key
                    var p = j
                    while p > 0 && keys[order[p - 1]] < key {
                        order[p] = order[p - 1]
                        p -= 1
                    }
                    order[p] = j
                }
                for j in 0..<n { mask[start + order[j]] = true }
                start += m
            }
        }
        return Tensor(shape: scores.shape, bool: mask)
    }

    /// An unsigned key whose order is the order of the scores: NaN is 0 (below everything),
    /// -0 equals 0, negative numbers below positive ones.
    @inline(__always)
    static func orderKey(_ x: Double) -> UInt64 {
        if x.isNaN { return 0 }
        let bits = x == 0 ? 0 : x.bitPattern
        // Every non-NaN key is at least ~(bit pattern of -inf) = 0x000F_FFFF_FFFF_FFFF > 0.
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// Marks in `kept` the `keep` largest of `keys` and clears the rest; among equal keys the
    /// lower positions are kept first. Linear: an 8-bit radix select finds the threshold key
    /// T (the keep-th largest) in eight passes, then one pass keeps every key above T and
    /// the first (keep − above) positions holding T.
    static func selectLargest(_ keys: UnsafeBufferPointer<UInt64>, keep: Int, into kept: UnsafeMutableBufferPointer<Bool>) {
        let length = keys.count
        if keep >= length {
            for j in 0..<length { kept[j] = true }
            return
        }
        for j in 0..<length { kept[j] = false }
        guard keep > 0 else { return }
        var histogram = (0..<256).map { _ in 0 }
        var prefix: UInt64 = 0
        var above = 0
        for pass in 0..<8 {
            let shift = UInt64(56 - 8 * pass)
            for b in 0..<256 { histogram[b] = 0 }
            for key in keys where (key ^ prefix) >> (shift + 8) == 0 {
                histogram[Int((key >> shift) & 0xFF)] += 1
            }
            var digit = 255
            while above + histogram[digit] < keep {
                above += histogram[digit]
                digit -= 1
            }
            prefix |= UInt64(digit) << shift
        }
        var ties = keep - above
        for j in 0..<length {
            let key = keys[j]
            if key > prefix {
                kept[j] = true
            } else if key == prefix && ties > 0 {
                kept[j] = true
                ties -= 1
            }
        }
    }
}

/// A number for a message: integral values without a decimal point, NaN as "nan".
func formatValue(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
}
