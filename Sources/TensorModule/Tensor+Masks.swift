// Pruning masks: keep counts, top-k masks per slice or over the whole tensor, N:M masks and
// their checks, sparsity and applying a mask. Scores are read once into 32-bit order keys
// (larger key = larger score; NaN below every number; -0 equals 0), so every dtype is
// selected exactly and ties resolve by position: among equal scores the lower index is kept
// first (algorithms.md §0).

extension Tensor {
    /// The number of items a selection unit of `length` items loses at sparsity `s`
    /// (`0 ≤ s < 1`): `⌊s·length + 1e-9⌋`, the guard keeping `0.57·100` at 57.
    public static func maskPrunedCount(sparsity s: Double, length: Int) throws -> Int {
        guard s >= 0, s < 1 else {
            throw TensorError("sparsity must be at least 0 and below 1, got \(maskFormat(s))")
        }
        return Swift.min(length, Int((s * Double(length) + 1e-9).rounded(.down)))
    }

    /// The number of items kept of `length` for `keep`: a fraction `0 < f < 1` keeps
    /// `length − ⌊(1−f)·length + 1e-9⌋`; an integer `f ≥ 1` keeps `f` (at most `length`);
    /// `0` keeps none. A non-integer above 1, a negative value or NaN is an error.
    public static func maskKeptCount(keep f: Double, length: Int) throws -> Int {
        guard f >= 0 else {
            throw TensorError("keep must be a fraction between 0 and 1 or a count of at least 1, got \(maskFormat(f))")
        }
        if f == 0 { return 0 }
        if f < 1 { return length - (try maskPrunedCount(sparsity: 1 - f, length: length)) }
        guard f == f.rounded(), f < 9.0e15 else {
            throw TensorError("keep above 1 counts entries and must be an integer, got \(maskFormat(f))")
        }
        guard Int(f) <= length else {
            throw TensorError("keep \(Int(f)) is more than the \(length) entries of each slice")
        }
        return Int(f)
    }

    /// A bool mask of this tensor's shape keeping, in every slice along `axis` (negative counts
    /// from the end), the `maskKeptCount(keep:length:)` largest scores; `axis` nil selects over
    /// all elements in row-major order. Ties: the lower index is kept first; NaN scores last.
    public func maskTopK(keep: Double, axis: Int?) throws -> Tensor {
        let layout: MaskLayout
        if let axis {
            let a = try Tensor.normalizeAxis(axis, ndim: ndim)
            layout = MaskLayout(shape: shape, axis: a)
        } else {
            layout = MaskLayout(outer: 1, length: count, inner: 1)
        }
        guard layout.length <= Int(UInt32.max) else {
            throw TensorError("mask_topk: a slice of \(layout.length) entries is too long (at most \(UInt32.max))")
        }
        let k = try Tensor.maskKeptCount(keep: keep, length: layout.length)
        let keys = maskKeys()
        var mask = [Bool](repeating: false, count: count)
        if k > 0 && count > 0 {
            var slice = [UInt32](repeating: 0, count: layout.length)
            var kept = [Bool](repeating: false, count: layout.length)
            for o in 0..<layout.outer {
                for i in 0..<layout.inner {
                    let base = o * layout.length * layout.inner + i
                    for j in 0..<layout.length { slice[j] = keys[base + j * layout.inner] }
                    maskSelectLargest(slice, k: k, into: &kept)
                    for j in 0..<layout.length where kept[j] { mask[base + j * layout.inner] = true }
                }
            }
        }
        return Tensor(shape: shape, bool: mask)
    }

    /// A bool mask keeping the `n` largest scores of every `m` consecutive entries along `axis`
    /// (groups `[0, m)`, `[m, 2m)`, …). Ties: the lower index wins; NaN scores last. Throws
    /// unless `0 < n ≤ m` and the axis length is a multiple of `m`.
    public func maskNM(n: Int, m: Int, axis: Int) throws -> Tensor {
        let layout = try nmLayout(n: n, m: m, axis: axis)
        let keys = maskKeys()
        var mask = [Bool](repeating: false, count: count)
        var order = [Int](repeating: 0, count: m)
        for o in 0..<layout.outer {
            for i in 0..<layout.inner {
                let base = o * layout.length * layout.inner + i
                var start = 0
                while start < layout.length {
                    // Insertion sort of the group's positions: larger key first, then lower index.
                    for j in 0..<m {
                        let key = keys[base + (start + j) * layout.inner]
                        var p = j
                        while p > 0 && keys[base + (start + order[p - 1]) * layout.inner] < key {
                            order[p] = order[p - 1]
                            p -= 1
                        }
                        order[p] = j
                    }
                    for j in 0..<n { mask[base + (start + order[j]) * layout.inner] = true }
                    start += m
                }
            }
        }
        return Tensor(shape: shape, bool: mask)
    }

    /// True when every group of `m` consecutive entries along `axis` holds at most `n` nonzero
    /// (true) entries. Throws unless `0 < n ≤ m` and the axis length is a multiple of `m`.
    public func isNM(n: Int, m: Int, axis: Int) throws -> Bool {
        let layout = try nmLayout(n: n, m: m, axis: axis)
        let kept = maskNonzero()
        for o in 0..<layout.outer {
            for i in 0..<layout.inner {
                let base = o * layout.length * layout.inner + i
                var start = 0
                while start < layout.length {
                    var total = 0
                    for j in start..<(start + m) where kept[base + j * layout.inner] { total += 1 }
                    if total > n { return false }
                    start += m
                }
            }
        }
        return true
    }

    /// True when, for a 2-D mask, every `m × m` block (rows and columns from multiples of `m`)
    /// has at most `n` nonzero (true) entries in each of its rows and each of its columns, so
    /// both the mask and its transpose are N:M. Throws unless the tensor is 2-D, `0 < n ≤ m`
    /// and both dimensions are multiples of `m`.
    public func isTransposableNM(n: Int, m: Int) throws -> Bool {
        guard ndim == 2 else {
            throw TensorError("transposable n:m needs a 2-d mask, got shape \(formatShape(shape))")
        }
        try Tensor.checkNM(n: n, m: m)
        for axis in 0..<2 where shape[axis] % m != 0 {
            throw TensorError(Tensor.nmLengthMessage(shape: shape, axis: axis, m: m))
        }
        let kept = maskNonzero()
        let rows = shape[0], cols = shape[1]
        var columnCounts = [Int](repeating: 0, count: cols)
        var r0 = 0
        while r0 < rows {
            for c in 0..<cols { columnCounts[c] = 0 }
            for r in r0..<(r0 + m) {
                var c0 = 0
                while c0 < cols {
                    var rowCount = 0
                    for c in c0..<(c0 + m) where kept[r * cols + c] {
                        rowCount += 1
                        columnCounts[c] += 1
                    }
                    if rowCount > n { return false }
                    c0 += m
                }
            }
            if columnCounts.contains(where: { $0 > n }) { return false }
            r0 += m
        }
        return true
    }

    /// The number of elements that are zero (false). NaN is not zero.
    public func zeroCount() -> Int {
        var zeros = 0
        switch data {
        case .f32(let v): for x in v where x == 0 { zeros += 1 }
        case .i32(let v): for x in v where x == 0 { zeros += 1 }
        case .bool(let v): for x in v where !x { zeros += 1 }
        }
        return zeros
    }

    /// The fraction of elements that are zero (false); 0 for an empty tensor.
    public func sparsity() -> Double {
        count == 0 ? 0 : Double(zeroCount()) / Double(count)
    }

    /// The fraction of elements that are nonzero (true; NaN counts); 1 for an empty tensor.
    public func density() -> Double {
        count == 0 ? 1 : Double(count - zeroCount()) / Double(count)
    }

    /// This tensor with the entries where the bool `mask` (same shape) is false set to zero
    /// (false); the dtype is kept.
    public func applyingMask(_ mask: Tensor) throws -> Tensor {
        guard case .bool(let keep) = mask.data else {
            throw TensorError("a mask must be a bool tensor, got \(mask.dtype.rawValue) (compare with 0 to make one: `m != 0`)")
        }
        guard mask.shape == shape else {
            throw TensorError("shape mismatch: mask \(formatShape(mask.shape)) does not match the tensor \(formatShape(shape))")
        }
        switch data {
        case .f32(let v): return Tensor(shape: shape, f32: zip(v, keep).map { $1 ? $0 : 0 })
        case .i32(let v): return Tensor(shape: shape, i32: zip(v, keep).map { $1 ? $0 : 0 })
        case .bool(let v): return Tensor(shape: shape, bool: zip(v, keep).map { $1 && $0 })
        }
    }

    /// Checks `0 < n ≤ m`.
    static func checkNM(n: Int, m: Int) throws {
        guard m > 0, n > 0, n <= m else {
            throw TensorError("an n:m pattern needs 0 < n ≤ m, got n = \(n), m = \(m)")
        }
    }

    /// The message for an axis whose length is not a multiple of `m`, listing the powers of
    /// two (2 to 64) that would fit.
    public static func nmLengthMessage(shape: [Int], axis: Int, m: Int) -> String {
        let length = shape[axis]
        let fits = [2, 4, 8, 16, 32, 64].filter { length % $0 == 0 }
        let hint: String
        if fits.isEmpty {
            hint = "no power of two from 2 to 64 divides \(length)"
        } else {
            let listed = fits.map(String.init)
            let text = listed.count == 1
                ? listed[0]
                : listed.dropLast().joined(separator: ", ") + " or " + (listed.last ?? "")
            hint = "m = \(text) would fit"
        }
        return "axis \(axis) of shape \(formatShape(shape)) has length \(length), not a multiple of m = \(m) (\(hint))"
    }

    /// The layout of N:M groups along `axis`, after checking `n`, `m` and the axis length.
    fileprivate func nmLayout(n: Int, m: Int, axis: Int) throws -> MaskLayout {
        try Tensor.checkNM(n: n, m: m)
        let a = try Tensor.normalizeAxis(axis, ndim: ndim)
        guard shape[a] % m == 0 else {
            throw TensorError(Tensor.nmLengthMessage(shape: shape, axis: a, m: m))
        }
        return MaskLayout(shape: shape, axis: a)
    }

    /// One order key per element: unsigned order equals score order; NaN is 0 (lowest).
    fileprivate func maskKeys() -> [UInt32] {
        switch data {
        case .f32(let v):
            return v.map { x in
                if x.isNaN { return 0 }
                let bits = x == 0 ? 0 : x.bitPattern
                // Positive floats above negative ones; negative ones reversed. Non-NaN keys
                // are at least 0x007F_FFFF, above the NaN key.
                return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
            }
        case .i32(let v): return v.map { UInt32(bitPattern: $0) ^ 0x8000_0000 }
        case .bool(let v): return v.map { $0 ? 1 : 0 }
        }
    }

    /// Whether each element is nonzero (true); NaN counts as nonzero.
    fileprivate func maskNonzero() -> [Bool] {
        switch data {
        case .f32(let v): return v.map { $0 != 0 }
        case .i32(let v): return v.map { $0 != 0 }
        case .bool(let v): return v
        }
    }
}

/// A tensor seen as `[outer, length, inner]` around one axis.
fileprivate struct MaskLayout {
    var outer: Int
    var length: Int
    var inner: Int

    init(outer: Int, length: Int, inner: Int) {
        self.outer = outer
        self.length = length
        self.inner = inner
    }

    init(shape: [Int], axis: Int) {
        self.init(outer: Tensor.elementCount(Array(shape[..<axis])),
                  length: shape[axis],
                  inner: Tensor.elementCount(Array(shape[(axis + 1)...])))
    }
}

/// Marks in `kept` the `k` largest of `keys` (`0 < k`, `keys.count < 2³²`); among equal keys
/// the lower positions first. Short slices sort; long ones find the threshold key by a
/// two-pass 16-bit radix select, which is linear.
func maskSelectLargest(_ keys: [UInt32], k: Int, into kept: inout [Bool]) {
    let length = keys.count
    if k >= length {
        for j in 0..<length { kept[j] = true }
        return
    }
    for j in 0..<length { kept[j] = false }
    if length <= 4096 {
        // Ascending composites: larger key first (complemented), then lower position.
        var composite = [UInt64](repeating: 0, count: length)
        for j in 0..<length { composite[j] = UInt64(~keys[j]) << 32 | UInt64(j) }
        composite.sort()
        for c in composite.prefix(k) { kept[Int(c & 0xFFFF_FFFF)] = true }
        return
    }
    // The threshold key T is the k-th largest; keep every key above it and the first
    // (k − above) positions holding T.
    var histogram = [Int](repeating: 0, count: 1 << 16)
    for key in keys { histogram[Int(key >> 16)] += 1 }
    var above = 0
    var high = (1 << 16) - 1
    while above + histogram[high] < k {
        above += histogram[high]
        high -= 1
    }
    for b in 0..<histogram.count { histogram[b] = 0 }
    for key in keys where Int(key >> 16) == high { histogram[Int(key & 0xFFFF)] += 1 }
    var low = (1 << 16) - 1
    while above + histogram[low] < k {
        above += histogram[low]
        low -= 1
    }
    let threshold = UInt32(high) << 16 | UInt32(low)
    var ties = k - above
    for j in 0..<length {
        let key = keys[j]
        if key > threshold {
            kept[j] = true
        } else if key == threshold && ties > 0 {
            kept[j] = true
            ties -= 1
        }
    }
}

/// A number for a message: integral values without a decimal point.
fileprivate func maskFormat(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
}
