/// Shape manipulation: reshape, transpose, squeeze, concatenation, stacking and tiling.
/// Everything copies except `reshaped`, `flattened`, `squeezed` and `unsqueezed`, which only
/// relabel the (copy-on-write) storage.
extension Tensor {
    /// `axis` counted from the end when negative, checked against `ndim`
    /// ("axis 3 is out of range for a tensor with 2 dimensions").
    public static func normalizeAxis(_ axis: Int, ndim: Int) throws -> Int {
        let a = axis < 0 ? axis + ndim : axis
        guard a >= 0 && a < ndim else {
            throw TensorError("axis \(axis) is out of range for a tensor with \(ndim) dimensions")
        }
        return a
    }

    /// The same elements in `shape`; one extent may be -1 and is inferred.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        let n = count
        var resolved = newShape
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        if inferred.count > 1 {
            throw TensorError("reshape can infer only one extent, got \(formatShape(newShape))")
        }
        if let bad = newShape.first(where: { $0 < -1 }) {
            throw TensorError("negative extent \(bad) in shape \(formatShape(newShape))")
        }
        let mismatch = TensorError(
            "cannot reshape \(formatShape(shape)) (\(n) elements) into \(formatShape(newShape))")
        if let i = inferred.first {
            let known = newShape.enumerated().reduce(1) { $1.offset == i ? $0 : $0 * $1.element }
            guard known > 0, n % known == 0 else { throw mismatch }
            resolved[i] = n / known
        }
        guard Tensor.elementCount(resolved) == n else { throw mismatch }
        var t = self
        t.setShape(resolved)
        return t
    }

    /// The axes permuted: result axis `i` is this tensor's axis `axes[i]` (negative counts
    /// from the end); `nil` reverses the axes (the matrix transpose for 2-D). Copies.
    public func transposed(_ axes: [Int]? = nil) throws -> Tensor {
        let n = ndim
        let perm: [Int]
        if let axes {
            let normalized = try axes.map { try Tensor.normalizeAxis($0, ndim: n) }
            guard axes.count == n, Set(normalized).count == n else {
                throw TensorError(
                    "transpose axes \(formatShape(axes)) are not a permutation of \(formatShape(Array(0..<n)))")
            }
            perm = normalized
        } else {
            perm = Array((0..<n).reversed())
        }
        if perm == Array(0..<n) { return self }
        let outShape = perm.map { shape[$0] }
        switch data {
        case .f32(let a): return Tensor(shape: outShape, f32: permuteArray(a, shape: shape, perm: perm))
        case .i32(let a): return Tensor(shape: outShape, i32: permuteArray(a, shape: shape, perm: perm))
        case .bool(let a): return Tensor(shape: outShape, bool: permuteArray(a, shape: shape, perm: perm))
        }
    }

    /// The elements as a 1-D tensor.
    public func flattened() -> Tensor {
        var t = self
        t.setShape([count])
        return t
    }

    /// Without the size-1 axis `axis`, or without every size-1 axis when `axis` is nil.
    public func squeezed(axis: Int?) throws -> Tensor {
        var t = self
        if let axis {
            let a = try Tensor.normalizeAxis(axis, ndim: ndim)
            guard shape[a] == 1 else {
                throw TensorError("cannot squeeze axis \(axis) of size \(shape[a]); only size-1 axes can be squeezed")
            }
            var s = shape
            s.remove(at: a)
            t.setShape(s)
        } else {
            t.setShape(shape.filter { $0 != 1 })
        }
        return t
    }

    /// With a new size-1 axis at position `axis` of the result (negative counts from the end
    /// of the result's axes, so -1 appends).
    public func unsqueezed(axis: Int) throws -> Tensor {
        let a = try Tensor.normalizeAxis(axis, ndim: ndim + 1)
        var s = shape
        s.insert(1, at: a)
        var t = self
        t.setShape(s)
        return t
    }

    /// The tensors joined along an existing `axis`; all other extents must agree. Mixed dtypes
    /// promote (bool < i32 < f32).
    public static func concat(_ ts: [Tensor], axis: Int) throws -> Tensor {
        guard let first = ts.first else { throw TensorError("concat needs at least one tensor") }
        guard first.ndim > 0 else { throw TensorError("cannot concat 0-d tensors; use stack") }
        let a = try normalizeAxis(axis, ndim: first.ndim)
        var outShape = first.shape
        outShape[a] = 0
        var dtype = first.dtype
        for t in ts {
            var s = t.shape
            guard s.count == first.ndim else {
                throw TensorError(
                    "cannot concat \(formatShape(first.shape)) and \(formatShape(t.shape)): different numbers of dimensions")
            }
            outShape[a] += s[a]
            s[a] = first.shape[a]
            guard s == first.shape else {
                throw TensorError(
                    "cannot concat \(formatShape(first.shape)) and \(formatShape(t.shape)) along axis \(axis): other extents differ")
            }
            dtype = DType.promoted(dtype, t.dtype)
        }
        let outer = elementCount(Array(first.shape[..<a]))
        let inner = elementCount(Array(first.shape[(a + 1)...]))
        let converted = ts.map { $0.astype(dtype) }
        let chunks = converted.map { $0.shape[a] * inner }
        switch dtype {
        case .f32:
            return Tensor(shape: outShape, f32: concatArrays(converted.map { $0.floats() }, chunks: chunks, outer: outer))
        case .i32:
            return Tensor(shape: outShape, i32: concatArrays(converted.map { $0.int32Storage }, chunks: chunks, outer: outer))
        case .bool:
            return Tensor(shape: outShape, bool: concatArrays(converted.map { $0.boolStorage }, chunks: chunks, outer: outer))
        }
    }

    /// The tensors, which must share one shape, joined along a new `axis` of the result.
    /// Mixed dtypes promote (bool < i32 < f32).
    public static func stack(_ ts: [Tensor], axis: Int) throws -> Tensor {
        guard let first = ts.first else { throw TensorError("stack needs at least one tensor") }
        let a = try normalizeAxis(axis, ndim: first.ndim + 1)
        for t in ts where t.shape != first.shape {
            throw TensorError(
                "cannot stack \(formatShape(first.shape)) and \(formatShape(t.shape)): shapes must be equal")
        }
        return try concat(ts.map { try $0.unsqueezed(axis: a) }, axis: a)
    }

    /// The tensor repeated `reps[i]` times along axis `i` (NumPy's `tile`: a shorter `reps`
    /// is padded with leading 1s, a longer one adds leading axes).
    public func tiled(_ reps: [Int]) throws -> Tensor {
        if let bad = reps.first(where: { $0 < 0 }) {
            throw TensorError("tile repetitions must be nonnegative, got \(bad)")
        }
        let n = Swift.max(ndim, reps.count)
        let src = [Int](repeating: 1, count: n - ndim) + shape
        let r = [Int](repeating: 1, count: n - reps.count) + reps
        let positions = (0..<n).map { axis in (0..<(src[axis] * r[axis])).map { $0 % Swift.max(src[axis], 1) } }
        return try reshaped(src).selecting(positions: positions, resultShape: zip(src, r).map { $0 * $1 })
    }
}

/// `src` (of `shape`) with its axes permuted by `perm`, row-major. 2-D uses a blocked loop;
/// higher ranks walk the output with an odometer over the permuted source strides.
func permuteArray<T: BitwiseCopyable>(_ src: [T], shape: [Int], perm: [Int]) -> [T] {
    let count = src.count
    let strides = Tensor.strides(of: shape)
    let outShape = perm.map { shape[$0] }
    let srcStrides = perm.map { strides[$0] }
    return makeArray(count) { out in
        withBase(src) { s in
            if shape.count == 2 {
                // Blocks of 8×8: each output row segment is written contiguously while the
                // 8 source rows it reads stay in L1.
                let rows = shape[0], cols = shape[1]
                let block = 8
                for i0 in stride(from: 0, to: rows, by: block) {
                    let i1 = Swift.min(i0 + block, rows)
                    for j0 in stride(from: 0, to: cols, by: block) {
                        let j1 = Swift.min(j0 + block, cols)
                        for j in j0..<j1 {
                            let dst = out + j &* rows
                            for i in i0..<i1 { dst[i] = s[i &* cols &+ j] }
                        }
                    }
                }
                return
            }
            let depth = outShape.count
            let innerLength = outShape[depth - 1]
            let innerStride = srcStrides[depth - 1]
            var index = [Int](repeating: 0, count: depth)
            var base = 0
            var o = 0
            while o < count {
                let (dst, src) = (out + o, s + base)
                for k in 0..<innerLength { dst[k] = src[k &* innerStride] }
                o += innerLength
                var d = depth - 2
                while d >= 0 {
                    index[d] += 1
                    base += srcStrides[d]
                    if index[d] < outShape[d] { break }
                    base -= srcStrides[d] * outShape[d]
                    index[d] = 0
                    d -= 1
                }
            }
        }
    }
}

/// Joins arrays: for each of `outer` blocks, `chunks[k]` elements from array `k` in turn.
func concatArrays<T: BitwiseCopyable>(_ arrays: [[T]], chunks: [Int], outer: Int) -> [T] {
    let total = chunks.reduce(0, +) * outer
    return makeArray(total) { out in
        var o = 0
        for b in 0..<outer {
            for (k, a) in arrays.enumerated() where chunks[k] > 0 {
                withBase(a) { p in (out + o).initialize(from: p + b * chunks[k], count: chunks[k]) }
                o += chunks[k]
            }
        }
    }
}
