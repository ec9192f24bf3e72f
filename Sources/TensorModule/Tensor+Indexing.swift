/// Indexing: integers, Python slices, one gather list per index, boolean masks, and the
/// matching assignments. Results are copies.

/// One entry of an index expression `t[i, a:b:c, [1, 3], :]`.
public enum TensorIndex: Sendable, Equatable {
    /// A single position (negative counts from the end); removes the axis.
    case at(Int)
    /// A Python slice `start:stop:step`: omitted parts default by the step's sign, out-of-range
    /// bounds clamp, negative bounds count from the end, the step must not be 0.
    case slice(start: Int?, stop: Int?, step: Int?)
    /// Positions along the axis, in order, repeats allowed (negative counts from the end).
    case gather([Int])
    /// The whole axis (`:`).
    case all
}

extension Tensor {
    /// The selected elements. Fewer indices than axes leave the trailing axes whole; `.at`
    /// removes its axis; at most one `.gather` per index.
    public func indexed(_ idx: [TensorIndex]) throws -> Tensor {
        if let block = try contiguousBlock(idx) { return copying(block.range, shape: block.shape) }
        let sel = try selection(idx)
        return selecting(positions: sel.positions, resultShape: sel.resultShape)
    }

    /// `t[i]`: the sub-tensor at position `i` (negative from the end) of the first axis, the
    /// same as `indexed([.at(i)])` without building an index list.
    public func indexed(at i: Int) throws -> Tensor {
        guard ndim >= 1 else { return try indexed([.at(i)]) }
        let size = shape[0], row = size == 0 ? 0 : count / size
        let start = try Tensor.checkedPosition(i, axis: 0, size: size) * row
        return copying(start..<(start + row), shape: Array(shape[1...]))
    }

    /// A tensor of `shape` holding a copy of the elements at `range` of this one's storage.
    private func copying(_ range: Range<Int>, shape: [Int]) -> Tensor {
        switch data {
        case .f32(let a): return Tensor(unchecked: shape, data: .f32(Array(a[range])))
        case .i32(let a): return Tensor(unchecked: shape, data: .i32(Array(a[range])))
        case .bool(let a): return Tensor(unchecked: shape, data: .bool(Array(a[range])))
        }
    }

    /// The elements `idx` selects when they are one run of consecutive storage — integers on
    /// the leading axes, then at most one slice of step 1, then whole axes (`t[i]`, `t[i, j]`,
    /// `t[i, a:b]`, `t[a:b]`) — as that range and the result's shape; nil for any other index,
    /// which goes through the general selection. Errors are the general path's.
    private func contiguousBlock(_ idx: [TensorIndex]) throws -> (range: Range<Int>, shape: [Int])? {
        guard idx.count <= ndim else { return nil }
        var offset = 0, axis = 0
        var inner = count
        while axis < idx.count, case .at(let i) = idx[axis] {
            let size = shape[axis]
            inner = size == 0 ? 0 : inner / size
            offset += try Tensor.checkedPosition(i, axis: axis, size: size) * inner
            axis += 1
        }
        var resultShape = Array(shape[axis...])
        if axis < idx.count {
            switch idx[axis] {
            case .all: break
            case .slice(let start, let stop, let step) where step == nil || step == 1:
                let size = shape[axis]
                let clamp = { (v: Int) in Swift.min(Swift.max(v < 0 ? v + size : v, 0), size) }
                let b = start.map(clamp) ?? 0, e = Swift.max(b, stop.map(clamp) ?? size)
                let row = size == 0 ? 0 : inner / size
                offset += b * row
                inner = (e - b) * row
                resultShape[0] = e - b
            default: return nil
            }
            for entry in idx[(axis + 1)...] { guard case .all = entry else { return nil } }
        }
        return (offset..<(offset + inner), resultShape)
    }

    /// Writes `value` into the selected region. `value` broadcasts to the region's shape and is
    /// converted to this tensor's dtype. With repeated gather positions the last write wins.
    public mutating func assign(_ idx: [TensorIndex], _ value: Tensor) throws {
        let sel = try selection(idx)
        let region = try value.astype(dtype).broadcasted(to: sel.resultShape, op: "=")
        let plan = SelectionPlan(shape: shape, positions: sel.positions)
        switch region.data {
        case .f32(let v): withF32Storage { plan.scatter(v, into: &$0) }
        case .i32(let v): withI32Storage { plan.scatter(v, into: &$0) }
        case .bool(let v): withBoolStorage { plan.scatter(v, into: &$0) }
        }
    }

    /// The elements where the bool `mask` (same shape) is true, as a 1-D tensor in
    /// row-major order.
    public func masked(_ mask: Tensor) throws -> Tensor {
        let m = try checkMask(mask)
        switch data {
        case .f32(let a): return Tensor(shape: [m.trueCount], f32: compress(a, m.values, m.trueCount))
        case .i32(let a): return Tensor(shape: [m.trueCount], i32: compress(a, m.values, m.trueCount))
        case .bool(let a): return Tensor(shape: [m.trueCount], bool: compress(a, m.values, m.trueCount))
        }
    }

    /// Writes `value` where the bool `mask` (same shape) is true: a one-element value fills
    /// every selected position, a 1-D value supplies one element per true, in row-major order.
    /// The value is converted to this tensor's dtype.
    public mutating func assignMasked(_ mask: Tensor, _ value: Tensor) throws {
        let m = try checkMask(mask)
        guard value.count == 1 || (value.ndim == 1 && value.count == m.trueCount) else {
            throw TensorError(
                "mask assignment needs one value or a 1-D tensor of \(m.trueCount) values, got shape \(formatShape(value.shape))")
        }
        let v = value.astype(dtype)
        switch v.data {
        case .f32(let b): withF32Storage { expand(b, into: &$0, m.values) }
        case .i32(let b): withI32Storage { expand(b, into: &$0, m.values) }
        case .bool(let b): withBoolStorage { expand(b, into: &$0, m.values) }
        }
    }

    /// The element at `indices` (one per axis, negative from the end) as a Double.
    public func scalarElement(_ indices: [Int]) throws -> Double {
        guard indices.count == ndim else {
            throw TensorError("expected \(ndim) indices for a tensor of shape \(formatShape(shape)), got \(indices.count)")
        }
        var flat = 0
        let strides = Tensor.strides(of: shape)
        for (axis, i) in indices.enumerated() {
            flat += try Tensor.checkedPosition(i, axis: axis, size: shape[axis]) * strides[axis]
        }
        return element(at: flat)
    }

    /// `i` (negative from the end) checked against an axis of `size`.
    static func checkedPosition(_ i: Int, axis: Int, size: Int) throws -> Int {
        let p = i < 0 ? i + size : i
        guard p >= 0 && p < size else {
            throw TensorError("index \(i) is out of bounds for axis \(axis) with size \(size)")
        }
        return p
    }

    /// The source positions selected on every axis, and the result's shape.
    func selection(_ idx: [TensorIndex]) throws -> (positions: [[Int]], resultShape: [Int]) {
        guard idx.count <= ndim else {
            throw TensorError("too many indices: \(idx.count) for a tensor with \(ndim) dimensions")
        }
        var gathers = 0
        var positions: [[Int]] = []
        var resultShape: [Int] = []
        for axis in 0..<ndim {
            let size = shape[axis]
            let entry = axis < idx.count ? idx[axis] : .all
            switch entry {
            case .at(let i):
                positions.append([try Tensor.checkedPosition(i, axis: axis, size: size)])
            case .all:
                positions.append(Array(0..<size))
                resultShape.append(size)
            case .gather(let list):
                gathers += 1
                guard gathers == 1 else { throw TensorError("at most one index list or tensor per index, got 2") }
                let p = try list.map { try Tensor.checkedPosition($0, axis: axis, size: size) }
                positions.append(p)
                resultShape.append(p.count)
            case .slice(let start, let stop, let step):
                let p = try Tensor.slicePositions(start: start, stop: stop, step: step, size: size)
                positions.append(p)
                resultShape.append(p.count)
            }
        }
        return (positions, resultShape)
    }

    /// The positions a Python slice selects from an axis of `size`.
    static func slicePositions(start: Int?, stop: Int?, step: Int?, size: Int) throws -> [Int] {
        let st = step ?? 1
        guard st != 0 else { throw TensorError("slice step cannot be zero") }
        func clamp(_ v: Int, _ lo: Int, _ hi: Int) -> Int { Swift.min(Swift.max(v, lo), hi) }
        if st > 0 {
            let b = start.map { clamp($0 < 0 ? $0 + size : $0, 0, size) } ?? 0
            let e = stop.map { clamp($0 < 0 ? $0 + size : $0, 0, size) } ?? size
            return b < e ? Array(stride(from: b, to: e, by: st)) : []
        }
        let b = start.map { clamp($0 < 0 ? $0 + size : $0, -1, size - 1) } ?? size - 1
        let e = stop.map { clamp($0 < 0 ? $0 + size : $0, -1, size - 1) } ?? -1
        return b > e ? Array(stride(from: b, to: e, by: st)) : []
    }

    /// A copy made of the elements at the given positions on every axis (the cartesian
    /// product, row-major), reshaped to `resultShape` (same count, axes of one position may be
    /// dropped).
    func selecting(positions: [[Int]], resultShape: [Int]) -> Tensor {
        let plan = SelectionPlan(shape: shape, positions: positions)
        switch data {
        case .f32(let a): return Tensor(shape: resultShape, f32: plan.gather(a))
        case .i32(let a): return Tensor(shape: resultShape, i32: plan.gather(a))
        case .bool(let a): return Tensor(shape: resultShape, bool: plan.gather(a))
        }
    }

    /// The mask's elements and its number of trues, after checking it is bool of this shape.
    private func checkMask(_ mask: Tensor) throws -> (values: [Bool], trueCount: Int) {
        guard case .bool(let m) = mask.data else {
            throw TensorError("a mask index must be a bool tensor, got \(mask.dtype.rawValue)")
        }
        guard mask.shape == shape else {
            throw TensorError(
                "mask shape \(formatShape(mask.shape)) does not match tensor shape \(formatShape(shape))")
        }
        var n = 0
        m.withUnsafeBufferPointer { p in for b in p where b { n += 1 } }
        return (m, n)
    }
}

/// How to walk a cartesian selection: the trailing axes taken whole, plus the axis before them
/// when its positions are consecutive, form one contiguous run copied at once; an odometer
/// walks the remaining (outer) axes through precomputed element offsets.
struct SelectionPlan {
    /// Per outer axis, the element offset of each selected position.
    let outerOffsets: [[Int]]
    /// Offset of the run's first element relative to the outer base.
    let runStart: Int
    /// Elements per contiguous run.
    let runLength: Int
    /// Number of selected elements.
    let count: Int

    /// A plan for selecting `positions[axis]` on each axis of `shape`.
    init(shape: [Int], positions: [[Int]]) {
        let strides = Tensor.strides(of: shape)
        count = positions.reduce(1) { $0 * $1.count }
        var split = shape.count
        var run = 1
        while split > 0 && positions[split - 1] == Array(0..<shape[split - 1]) {
            split -= 1
            run *= shape[split]
        }
        var start = 0
        if split > 0, let first = positions[split - 1].first,
           positions[split - 1] == Array(first..<(first + positions[split - 1].count)) {
            split -= 1
            start = first * strides[split]
            run *= positions[split].count
        }
        runStart = start
        runLength = run
        outerOffsets = (0..<split).map { axis in positions[axis].map { $0 * strides[axis] } }
    }

    /// Calls `body(resultOffset, sourceOffset)` for each run, in row-major order.
    @inline(__always)
    func forEachRun(_ body: (Int, Int) -> Void) {
        guard count > 0 else { return }
        let depth = outerOffsets.count
        if depth == 0 {
            body(0, runStart)
            return
        }
        var index = [Int](repeating: 0, count: depth)
        var o = 0
        while o < count {
            var base = runStart
            for d in 0..<depth { base += outerOffsets[d][index[d]] }
            body(o, base)
            o += runLength
            var d = depth - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < outerOffsets[d].count { break }
                index[d] = 0
                d -= 1
            }
        }
    }

    /// The selected elements of `src`, row-major.
    func gather<T: BitwiseCopyable>(_ src: [T]) -> [T] {
        let run = runLength
        return makeArray(count) { out in
            withBase(src) { s in
                if run == 1 {
                    forEachRun { o, i in (out + o).initialize(to: s[i]) }
                } else {
                    forEachRun { o, i in (out + o).initialize(from: s + i, count: run) }
                }
            }
        }
    }

    /// Writes `values` (one per selected element, row-major) into the selected positions.
    func scatter<T>(_ values: [T], into dst: inout [T]) {
        guard count > 0 else { return }
        let run = runLength
        values.withUnsafeBufferPointer { v in
            dst.withUnsafeMutableBufferPointer { d in
                guard let vp = v.baseAddress, let dp = d.baseAddress else { return }
                forEachRun { o, i in (dp + i).update(from: vp + o, count: run) }
            }
        }
    }
}

/// The elements of `a` where `mask` is true, in order.
func compress<T: BitwiseCopyable>(_ a: [T], _ mask: [Bool], _ trueCount: Int) -> [T] {
    makeArray(trueCount) { out in
        withBase(a) { s in
            withBase(mask) { m in
                var k = 0
                for i in 0..<a.count where m[i] {
                    (out + k).initialize(to: s[i])
                    k += 1
                }
            }
        }
    }
}

/// Writes `values` into `dst` where `mask` is true: the one value everywhere, or the values
/// in order.
func expand<T>(_ values: [T], into dst: inout [T], _ mask: [Bool]) {
    values.withUnsafeBufferPointer { v in
        mask.withUnsafeBufferPointer { m in
            dst.withUnsafeMutableBufferPointer { d in
                var k = 0
                let step = v.count == 1 ? 0 : 1
                for i in 0..<d.count where m[i] {
                    d[i] = v[k]
                    k += step
                }
            }
        }
    }
}
