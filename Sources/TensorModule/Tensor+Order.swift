// Sorting and order statistics along an axis: sort, argsort, top-k, k-th value, quantile and
// unique. Every one rests on one stable index sort: each slice along the axis is copied once
// into a scratch buffer of 64-bit keys (an order-preserving 32-bit image of the value, then
// the position), which an LSD radix sort orders. Equal values therefore keep the lower index
// first in both directions (algorithms.md §0), and NaN sorts last in both directions.

extension Tensor {
    /// The elements sorted along `axis` (negative counts from the end), ascending unless
    /// `descending`. Stable: equal values keep their order; NaN goes last in both directions.
    public func sorted(axis: Int, descending: Bool = false) throws -> Tensor {
        let layout = try orderLayout(axis: axis)
        return orderSortedElements(layout, descending: descending, keep: layout.length, shape: shape).values
    }

    /// The i32 positions along `axis` that sort the elements, ascending unless `descending`.
    /// Stable in both directions: among equal values the lower index comes first; NaN last.
    public func argsort(axis: Int, descending: Bool = false) throws -> Tensor {
        let layout = try orderLayout(axis: axis)
        let indices = orderIndices(layout, descending: descending, keep: layout.length)
        return Tensor(shape: shape, i32: indices)
    }

    /// The `k` largest elements along `axis` in descending order and their i32 positions; the
    /// axis has length `k` in both. Ties: the lower index comes first. NaN counts as smaller
    /// than every number. Throws unless `0 ≤ k ≤` the axis length.
    public func topk(_ k: Int, axis: Int) throws -> (values: Tensor, indices: Tensor) {
        let layout = try orderLayout(axis: axis)
        guard k >= 0, k <= layout.length else {
            throw TensorError(
                "topk k must be between 0 and \(layout.length) (the length of axis \(axis)), got \(k)")
        }
        var outShape = shape
        outShape[layout.axis] = k
        let (values, indices) = orderSortedElements(layout, descending: true, keep: k, shape: outShape)
        return (values, Tensor(shape: outShape, i32: indices))
    }

    /// The `k`-th smallest element along `axis` (1-based, like `torch.kthvalue`) and its i32
    /// position, with the axis removed. Among equal values the lower index is taken first.
    /// Throws unless `1 ≤ k ≤` the axis length.
    public func kthvalue(_ k: Int, axis: Int) throws -> (values: Tensor, indices: Tensor) {
        let layout = try orderLayout(axis: axis)
        guard k >= 1, k <= layout.length else {
            throw TensorError(
                "kthvalue k must be between 1 and \(layout.length) (the length of axis \(axis)), got \(k)")
        }
        var outShape = shape
        outShape.remove(at: layout.axis)
        let first = orderIndices(layout, descending: false, keep: k)
        var picked = [Int32](repeating: 0, count: layout.outer * layout.inner)
        for o in 0..<layout.outer {
            for i in 0..<layout.inner {
                picked[o * layout.inner + i] = first[(o * k + k - 1) * layout.inner + i]
            }
        }
        return (orderGather(layout, indices: picked, keep: 1, shape: outShape),
                Tensor(shape: outShape, i32: picked))
    }

    /// The `q`-quantile along `axis` (removed from the result), or of all elements as a 0-d
    /// tensor when `axis` is nil, with NumPy's default linear interpolation between the two
    /// nearest ranks. f32 result; NaN where a slice holds a NaN (like NumPy). Throws unless
    /// `0 ≤ q ≤ 1` and the slices are non-empty.
    public func quantile(_ q: Double, axis: Int?) throws -> Tensor {
        guard q >= 0, q <= 1 else {
            throw TensorError("quantile q must be between 0 and 1, got \(q)")
        }
        var outShape: [Int] = []
        let layout: OrderLayout
        if let axis {
            layout = try orderLayout(axis: axis)
            outShape = shape
            outShape.remove(at: layout.axis)
        } else {
            layout = OrderLayout(axis: 0, outer: 1, length: count, inner: 1)
        }
        guard layout.length > 0 else {
            throw TensorError("quantile needs a non-empty axis, got shape \(formatShape(shape))")
        }
        let result: [Float]
        switch data {
        case .f32(let v): result = orderQuantileKernel(v, layout, q: q)
        case .i32(let v): result = orderQuantileKernel(v, layout, q: q)
        case .bool(let v): result = orderQuantileKernel(v, layout, q: q)
        }
        return Tensor(shape: outShape, f32: result)
    }

    /// The distinct elements of the flattened tensor in ascending order (same dtype, 1-D) and
    /// how often each occurs. `0` and `-0` are one value (the first occurrence is shown); all
    /// NaNs are one value, last (NumPy's `equal_nan=True`).
    public func unique() -> (values: Tensor, counts: [Int]) {
        var flat = self
        flat.setShape([count])
        let keys = flat.orderSortedKeys()
        var firsts: [Int32] = []
        var counts: [Int] = []
        var previous: UInt64?
        for key in keys {
            let value = key >> 32
            if value == previous {
                counts[counts.count - 1] += 1
            } else {
                firsts.append(Int32(truncatingIfNeeded: key))
                counts.append(1)
                previous = value
            }
        }
        let picked = OrderLayout(axis: 0, outer: 1, length: count, inner: 1)
        return (flat.orderGather(picked, indices: firsts, keep: firsts.count, shape: [firsts.count]), counts)
    }

    /// The tensor seen as `[outer, length, inner]` around the normalised `axis`.
    fileprivate func orderLayout(axis: Int) throws -> OrderLayout {
        let rank = ndim
        let normalized = axis < 0 ? axis + rank : axis
        guard normalized >= 0, normalized < rank else {
            throw TensorError(
                "axis \(axis) is out of range for a tensor with \(rank) dimensions")
        }
        let length = shape[normalized]
        guard length <= Int(Int32.max) else {
            throw TensorError("axis \(axis) of length \(length) is too long to sort (at most \(Int32.max))")
        }
        return OrderLayout(axis: normalized,
                           outer: Tensor.elementCount(Array(shape[..<normalized])),
                           length: length,
                           inner: Tensor.elementCount(Array(shape[(normalized + 1)...])))
    }

    /// The first `keep` positions of each sorted slice, laid out `[outer, keep, inner]`.
    fileprivate func orderIndices(_ layout: OrderLayout, descending: Bool, keep: Int) -> [Int32] {
        switch data {
        case .f32(let v): return orderArgsortKernel(v, layout, descending: descending, keep: keep, gather: false).indices
        case .i32(let v): return orderArgsortKernel(v, layout, descending: descending, keep: keep, gather: false).indices
        case .bool(let v): return orderArgsortKernel(v, layout, descending: descending, keep: keep, gather: false).indices
        }
    }

    /// Like `orderIndices`, with the elements at those positions as a tensor of `shape`.
    fileprivate func orderSortedElements(_ layout: OrderLayout, descending: Bool, keep: Int,
                                         shape: [Int]) -> (values: Tensor, indices: [Int32]) {
        switch data {
        case .f32(let v):
            let r = orderArgsortKernel(v, layout, descending: descending, keep: keep, gather: true)
            return (Tensor(shape: shape, f32: r.values), r.indices)
        case .i32(let v):
            let r = orderArgsortKernel(v, layout, descending: descending, keep: keep, gather: true)
            return (Tensor(shape: shape, i32: r.values), r.indices)
        case .bool(let v):
            let r = orderArgsortKernel(v, layout, descending: descending, keep: keep, gather: true)
            return (Tensor(shape: shape, bool: r.values), r.indices)
        }
    }

    /// The ascending sorted keys (value key, then flat position) of all elements.
    fileprivate func orderSortedKeys() -> [UInt64] {
        switch data {
        case .f32(let v): return orderFlatKeys(v)
        case .i32(let v): return orderFlatKeys(v)
        case .bool(let v): return orderFlatKeys(v)
        }
    }

    /// Elements picked by `indices` (laid out `[outer, keep, inner]`) along the axis.
    fileprivate func orderGather(_ layout: OrderLayout, indices: [Int32], keep: Int, shape: [Int]) -> Tensor {
        switch data {
        case .f32(let v): return Tensor(shape: shape, f32: orderGatherKernel(v, layout, indices, keep: keep))
        case .i32(let v): return Tensor(shape: shape, i32: orderGatherKernel(v, layout, indices, keep: keep))
        case .bool(let v): return Tensor(shape: shape, bool: orderGatherKernel(v, layout, indices, keep: keep))
        }
    }
}

/// A tensor viewed as `[outer, length, inner]` around a sort axis.
fileprivate struct OrderLayout {
    var axis: Int
    var outer: Int
    var length: Int
    var inner: Int
}

/// Element types with an order-preserving 32-bit key.
fileprivate protocol OrderSortKey {
    /// The key: unsigned order equals the value order (reversed when `descending`); NaN maps
    /// to `UInt32.max` in both directions, above every number.
    static func orderKey(_ value: Self, descending: Bool) -> UInt32
    /// The value of an ascending key, as a Double.
    static func orderValue(ofKey key: UInt32) -> Double
    /// Whether `UInt32.max` as an ascending key means NaN (f32 only).
    static var orderKeyMarksNaN: Bool { get }
}

extension Float: OrderSortKey {
    fileprivate static func orderKey(_ value: Float, descending: Bool) -> UInt32 {
        if value.isNaN { return .max }
        // -0 and 0 compare equal; positive floats above negative ones, negatives reversed.
        let bits = value == 0 ? 0 : value.bitPattern
        let ascending = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        // Non-NaN keys lie in [0x007F_FFFF, 0xFF80_0000], so neither direction reaches .max.
        return descending ? ~ascending : ascending
    }

    fileprivate static func orderValue(ofKey key: UInt32) -> Double {
        if key == .max { return .nan }
        let bits = key & 0x8000_0000 != 0 ? key & 0x7FFF_FFFF : ~key
        return Double(Float(bitPattern: bits))
    }

    fileprivate static var orderKeyMarksNaN: Bool { true }
}

extension Int32: OrderSortKey {
    fileprivate static func orderKey(_ value: Int32, descending: Bool) -> UInt32 {
        let ascending = UInt32(bitPattern: value) ^ 0x8000_0000
        return descending ? ~ascending : ascending
    }

    fileprivate static func orderValue(ofKey key: UInt32) -> Double {
        Double(Int32(bitPattern: key ^ 0x8000_0000))
    }

    fileprivate static var orderKeyMarksNaN: Bool { false }
}

extension Bool: OrderSortKey {
    fileprivate static func orderKey(_ value: Bool, descending: Bool) -> UInt32 {
        let ascending: UInt32 = value ? 1 : 0
        return descending ? ~ascending : ascending
    }

    fileprivate static func orderValue(ofKey key: UInt32) -> Double { Double(key) }

    fileprivate static var orderKeyMarksNaN: Bool { false }
}

/// Stable argsort of every `[outer, ·, inner]` slice of `values`, keeping the first `keep`
/// positions of each, laid out `[outer, keep, inner]`. When the axis is not the last
/// (`inner > 1`), up to 16 neighbouring slices are gathered together so that reads and writes
/// touch whole cache lines instead of one element per row.
fileprivate func orderArgsortKernel<Element: OrderSortKey>(
    _ values: [Element], _ layout: OrderLayout, descending: Bool, keep: Int, gather: Bool
) -> (indices: [Int32], values: [Element]) {
    let (outer, length, inner) = (layout.outer, layout.length, layout.inner)
    let total = outer * keep * inner
    guard total > 0 else { return ([], []) }
    // Block width: neighbouring slices per gather, capped at about 2²⁰ keys of scratch.
    let width = Swift.max(1, Swift.min(16, inner, (1 << 20) / Swift.max(1, length)))
    var keys = [UInt64](repeating: 0, count: width * length)
    var scratch = [UInt64](repeating: 0, count: length)
    var histogram = [Int](repeating: 0, count: 4 * 256)
    var result = [Int32](repeating: 0, count: total)
    // The picked values, gathered while the block's rows are still in cache.
    var picked = gather ? [Element](repeating: values[0], count: total) : []
    values.withUnsafeBufferPointer { src in
        keys.withUnsafeMutableBufferPointer { keyBuffer in
            scratch.withUnsafeMutableBufferPointer { scratchBuffer in
                histogram.withUnsafeMutableBufferPointer { counts in
                    result.withUnsafeMutableBufferPointer { out in
                        picked.withUnsafeMutableBufferPointer { pickedOut in
                            let buffers = OrderSortBuffers<Element>(keys: keyBuffer, scratch: scratchBuffer, counts: counts,
                                                           indices: out, values: gather ? pickedOut : nil)
                            for o in 0..<outer {
                                var i0 = 0
                                while i0 < inner {
                                    let w = Swift.min(width, inner - i0)
                                    orderArgsortBlock(src, layout, outer: o, first: i0, width: w,
                                                      descending: descending, keep: keep, buffers)
                                    i0 += w
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    return (result, picked)
}

/// Scratch and output buffers of `orderArgsortKernel`.
fileprivate struct OrderSortBuffers<Element> {
    /// `width × length` keys, one run of `length` per slice of the block.
    var keys: UnsafeMutableBufferPointer<UInt64>
    var scratch: UnsafeMutableBufferPointer<UInt64>
    var counts: UnsafeMutableBufferPointer<Int>
    /// Output positions, `[outer, keep, inner]`.
    var indices: UnsafeMutableBufferPointer<Int32>
    /// Output elements, laid out like `indices`, when gathered.
    var values: UnsafeMutableBufferPointer<Element>?
}

/// Sorts the `width` neighbouring slices `inner ∈ first ..< first + width` of outer index `o`:
/// gathers their keys row by row, sorts each, and writes the first `keep` positions (and
/// elements) back row by row.
fileprivate func orderArgsortBlock<Element: OrderSortKey>(
    _ src: UnsafeBufferPointer<Element>, _ layout: OrderLayout, outer o: Int, first: Int, width: Int,
    descending: Bool, keep: Int, _ buffers: OrderSortBuffers<Element>
) {
    let (length, inner) = (layout.length, layout.inner)
    let keys = buffers.keys
    let base = o * length * inner + first
    for j in 0..<length {
        let row = base + j * inner
        for b in 0..<width {
            let key = Element.orderKey(src[row + b], descending: descending)
            keys[b * length + j] = UInt64(key) << 32 | UInt64(j)
        }
    }
    for b in 0..<width {
        let slice = UnsafeMutableBufferPointer(rebasing: keys[(b * length)..<((b + 1) * length)])
        orderSortKeys(slice, scratch: buffers.scratch, counts: buffers.counts)
    }
    let outBase = o * keep * inner + first
    for r in 0..<keep {
        let row = outBase + r * inner
        for b in 0..<width {
            buffers.indices[row + b] = Int32(truncatingIfNeeded: keys[b * length + r])
        }
        if let values = buffers.values {
            for b in 0..<width {
                values[row + b] = src[base + Int(buffers.indices[row + b]) * inner + b]
            }
        }
    }
}

/// The `q`-quantile of every `[outer, ·, inner]` slice of `values` (`length > 0`), laid out
/// `[outer, inner]`, with NumPy's linear interpolation; NaN where a slice holds a NaN. The two
/// neighbouring order statistics come from a radix select on the 32-bit keys (linear time, no
/// full sort).
fileprivate func orderQuantileKernel<Element: OrderSortKey>(
    _ values: [Element], _ layout: OrderLayout, q: Double
) -> [Float] {
    let (outer, length, inner) = (layout.outer, layout.length, layout.inner)
    let total = outer * inner
    guard total > 0 else { return [] }
    let position = q * Double(length - 1)
    let low = Swift.min(Int(position.rounded(.down)), length - 1)
    let high = Swift.min(low + 1, length - 1)
    let t = position - Double(low)
    var keys = [UInt32](repeating: 0, count: length)
    var work = [UInt32](repeating: 0, count: length)
    var histogram = [Int](repeating: 0, count: 256)
    var result = [Float](repeating: 0, count: total)
    values.withUnsafeBufferPointer { src in
        keys.withUnsafeMutableBufferPointer { keyBuffer in
            work.withUnsafeMutableBufferPointer { workBuffer in
                histogram.withUnsafeMutableBufferPointer { counts in
                    for slice in 0..<total {
                        let (o, i) = slice.quotientAndRemainder(dividingBy: inner)
                        let base = o * length * inner + i
                        var hasNaN = false
                        for j in 0..<length {
                            let key = Element.orderKey(src[base + j * inner], descending: false)
                            hasNaN = hasNaN || (key == .max && Element.orderKeyMarksNaN)
                            keyBuffer[j] = key
                        }
                        if hasNaN {
                            result[slice] = .nan
                            continue
                        }
                        _ = workBuffer.update(fromContentsOf: keyBuffer)
                        let a = Element.orderValue(ofKey: orderSelect(workBuffer, rank: low, counts: counts))
                        var b = a
                        if high != low {
                            _ = workBuffer.update(fromContentsOf: keyBuffer)
                            b = Element.orderValue(ofKey: orderSelect(workBuffer, rank: high, counts: counts))
                        }
                        // NumPy's `_lerp`: interpolate from the nearer end for accuracy.
                        result[slice] = Float(t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t)
                    }
                }
            }
        }
    }
    return result
}

/// The key of ascending rank `rank` among `keys` (which it reorders), by most-significant-byte
/// radix selection: each pass keeps only the keys in the byte bucket holding the rank.
/// `counts` holds at least 256 elements.
fileprivate func orderSelect(_ keys: UnsafeMutableBufferPointer<UInt32>, rank: Int,
                             counts: UnsafeMutableBufferPointer<Int>) -> UInt32 {
    var count = keys.count
    var remaining = rank
    for shift in stride(from: UInt32(24), through: 0, by: -8) {
        for b in 0..<256 { counts[b] = 0 }
        for j in 0..<count { counts[Int((keys[j] >> shift) & 0xFF)] += 1 }
        var bucket = 0
        while remaining >= counts[bucket] {
            remaining -= counts[bucket]
            bucket += 1
        }
        if counts[bucket] == count { continue }
        var kept = 0
        for j in 0..<count where Int((keys[j] >> shift) & 0xFF) == bucket {
            keys[kept] = keys[j]
            kept += 1
        }
        count = kept
    }
    return keys[0]
}

/// The ascending sorted keys (value key, then position) of all of `values`.
fileprivate func orderFlatKeys<Element: OrderSortKey>(_ values: [Element]) -> [UInt64] {
    let n = values.count
    var keys = [UInt64](repeating: 0, count: n)
    var scratch = [UInt64](repeating: 0, count: n)
    var histogram = [Int](repeating: 0, count: 4 * 256)
    values.withUnsafeBufferPointer { src in
        keys.withUnsafeMutableBufferPointer { keyBuffer in
            for j in 0..<n {
                keyBuffer[j] = UInt64(Element.orderKey(src[j], descending: false)) << 32 | UInt64(j)
            }
            scratch.withUnsafeMutableBufferPointer { scratchBuffer in
                histogram.withUnsafeMutableBufferPointer { counts in
                    orderSortKeys(keyBuffer, scratch: scratchBuffer, counts: counts)
                }
            }
        }
    }
    return keys
}

/// Sorts 64-bit keys by their upper 32 bits, stably, in place. Keys enter with their position
/// in the lower 32 bits in increasing order, so the result is the total order on (value,
/// position). Short slices use insertion sort; longer ones an LSD radix sort on four bytes,
/// skipping bytes that every key shares. `scratch` holds at least `keys.count` elements and
/// `counts` 4 × 256.
fileprivate func orderSortKeys(_ keys: UnsafeMutableBufferPointer<UInt64>,
                               scratch: UnsafeMutableBufferPointer<UInt64>,
                               counts: UnsafeMutableBufferPointer<Int>) {
    let n = keys.count
    if n <= 48 {
        if n < 2 { return }
        for i in 1..<n {
            let key = keys[i]
            var j = i
            while j > 0 && keys[j - 1] > key {
                keys[j] = keys[j - 1]
                j -= 1
            }
            keys[j] = key
        }
        return
    }
    for b in 0..<counts.count { counts[b] = 0 }
    for j in 0..<n {
        let key = keys[j]
        counts[Int((key >> 32) & 0xFF)] += 1
        counts[256 + Int((key >> 40) & 0xFF)] += 1
        counts[512 + Int((key >> 48) & 0xFF)] += 1
        counts[768 + Int(key >> 56)] += 1
    }
    guard let keyBase = keys.baseAddress, let scratchBase = scratch.baseAddress else { return }
    var from = keyBase
    var to = scratchBase
    for pass in 0..<4 {
        let offset = pass * 256
        let shift = UInt64(32 + 8 * pass)
        // A byte that all keys share leaves the order unchanged.
        if counts[offset + Int((from[0] >> shift) & 0xFF)] == n { continue }
        var running = 0
        for b in 0..<256 {
            let c = counts[offset + b]
            counts[offset + b] = running
            running += c
        }
        for j in 0..<n {
            let key = from[j]
            let bucket = offset + Int((key >> shift) & 0xFF)
            to[counts[bucket]] = key
            counts[bucket] += 1
        }
        swap(&from, &to)
    }
    if from != keyBase {
        keyBase.update(from: from, count: n)
    }
}

/// Gathers `values` at `indices` (laid out `[outer, keep, inner]`) along the layout's axis.
fileprivate func orderGatherKernel<Element>(_ values: [Element], _ layout: OrderLayout,
                                            _ indices: [Int32], keep: Int) -> [Element] {
    let (outer, length, inner) = (layout.outer, layout.length, layout.inner)
    let total = outer * keep * inner
    guard total > 0 else { return [] }
    return values.withUnsafeBufferPointer { src in
        indices.withUnsafeBufferPointer { idx in
            [Element](unsafeUninitializedCapacity: total) { out, initialized in
                guard let base = out.baseAddress else { return }
                for o in 0..<outer {
                    for r in 0..<keep {
                        let row = (o * keep + r) * inner
                        for i in 0..<inner {
                            let index = Int(idx[row + i])
                            (base + row + i).initialize(to: src[(o * length + index) * inner + i])
                        }
                    }
                }
                initialized = total
            }
        }
    }
}
