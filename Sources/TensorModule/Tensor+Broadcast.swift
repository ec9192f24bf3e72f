/// NumPy broadcasting: the result shape of two operands, and the loop that walks up to three
/// broadcast operands row by row.
extension Tensor {
    /// The broadcast shape of `a` and `b` under NumPy's rules: shapes align at the right and
    /// each pair of extents must be equal or contain a 1. `op` names the operation in the
    /// error, e.g. "shape mismatch in `+`: [2, 3] and [4] cannot broadcast".
    public static func broadcastShapes(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
        if a == b { return a }
        let n = Swift.max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let x = i < n - a.count ? 1 : a[i - (n - a.count)]
            let y = i < n - b.count ? 1 : b[i - (n - b.count)]
            if x == y || y == 1 {
                out[i] = x
            } else if x == 1 {
                out[i] = y
            } else {
                throw TensorError(
                    "shape mismatch in `\(op)`: \(formatShape(a)) and \(formatShape(b)) cannot broadcast")
            }
        }
        return out
    }
}

/// A walk over an output of `count` elements in row-major order, giving for each row of
/// `rowLength` consecutive output elements the starting offset of up to three operands.
///
/// Broadcast axes get stride 0, size-1 axes are dropped and adjacent axes that are contiguous
/// in every operand are merged, so the common cases need no odometer at all: equal shapes or a
/// scalar operand are one row; a row vector against a matrix is rows of the matrix's width.
/// Within a row, each operand's stride (`inner`) is 1 (it advances) or 0 (it repeats).
struct StridedLoop {
    /// The number of output elements.
    let count: Int
    /// The length of each row (the innermost merged axis); at least 1 when `count > 0`.
    let rowLength: Int
    /// Within-row strides of operands 0, 1, 2: each 0 or 1.
    let inner: (Int, Int, Int)
    /// Extents of the outer (merged) axes, outermost first; empty for a single row.
    let outerExtents: [Int]
    /// Strides of each operand along the outer axes.
    let outerStrides: ([Int], [Int], [Int])

    /// A loop over `count` elements where every operand is contiguous and the same size.
    init(contiguous count: Int) {
        self.count = count
        rowLength = count
        inner = (1, 1, 1)
        outerExtents = []
        outerStrides = ([], [], [])
    }

    /// A loop over `count` elements where operand 0 is contiguous and operand 1 is a single
    /// element (a scalar).
    init(scalarSecond count: Int) {
        self.count = count
        rowLength = count
        inner = (1, 0, 0)
        outerExtents = []
        outerStrides = ([], [], [])
    }

    /// A loop over `count` elements where operand 0 is a single element (a scalar) and
    /// operand 1 is contiguous.
    init(scalarFirst count: Int) {
        self.count = count
        rowLength = count
        inner = (0, 1, 0)
        outerExtents = []
        outerStrides = ([], [], [])
    }

    /// A loop producing `outShape` from operands of the given shapes (at most three), each
    /// broadcastable to `outShape`.
    init(outShape: [Int], operands: [[Int]]) {
        precondition(operands.count <= 3, "StridedLoop takes at most three operands")
        let n = outShape.count
        count = Tensor.elementCount(outShape)
        // Strides of each operand aligned to the output's axes (0 where broadcast).
        var strides = [[Int]](repeating: [Int](repeating: 0, count: n), count: 3)
        for (k, shape) in operands.enumerated() {
            precondition(shape.count <= n, "operand has more axes than the output")
            let own = Tensor.strides(of: shape)
            let lead = n - shape.count
            for i in 0..<shape.count where shape[i] != 1 {
                precondition(shape[i] == outShape[lead + i], "operand does not broadcast")
                strides[k][lead + i] = own[i]
            }
        }
        // Drop size-1 axes, then merge neighbours contiguous in every operand.
        var extents: [Int] = []
        var merged: [[Int]] = [[], [], []]
        for i in 0..<n where outShape[i] != 1 {
            if let last = extents.last,
               (0..<3).allSatisfy({ merged[$0][merged[$0].count - 1] == strides[$0][i] * outShape[i] }) {
                extents[extents.count - 1] = last * outShape[i]
                for k in 0..<3 { merged[k][merged[k].count - 1] = strides[k][i] }
            } else {
                extents.append(outShape[i])
                for k in 0..<3 { merged[k].append(strides[k][i]) }
            }
        }
        if extents.isEmpty {
            extents = [1]
            merged = [[0], [0], [0]]
        }
        rowLength = extents[extents.count - 1]
        inner = (merged[0][extents.count - 1], merged[1][extents.count - 1], merged[2][extents.count - 1])
        outerExtents = Array(extents.dropLast())
        outerStrides = (Array(merged[0].dropLast()), Array(merged[1].dropLast()), Array(merged[2].dropLast()))
    }

    /// Calls `body(outStart, offset0, offset1, offset2)` once per row, in row-major order.
    @inline(__always)
    func forEachRow(_ body: (Int, Int, Int, Int) -> Void) {
        guard count > 0 else { return }
        if outerExtents.isEmpty {
            body(0, 0, 0, 0)
            return
        }
        let depth = outerExtents.count
        var index = [Int](repeating: 0, count: depth)
        var o0 = 0, o1 = 0, o2 = 0
        var out = 0
        let rows = count / rowLength
        let (s0, s1, s2) = outerStrides
        for _ in 0..<rows {
            body(out, o0, o1, o2)
            out += rowLength
            var d = depth - 1
            while d >= 0 {
                index[d] += 1
                o0 += s0[d]; o1 += s1[d]; o2 += s2[d]
                if index[d] < outerExtents[d] { break }
                let e = outerExtents[d]
                o0 -= s0[d] * e; o1 -= s1[d] * e; o2 -= s2[d] * e
                index[d] = 0
                d -= 1
            }
        }
    }
}

/// Applies `f` elementwise over two broadcast operands into `out`, following `loop`. Rows are
/// split by the operands' inner strides so each case is a simple, vectorisable loop.
@inline(__always)
func applyBinary<A, B, R>(
    _ loop: StridedLoop, _ a: UnsafePointer<A>, _ b: UnsafePointer<B>, _ out: UnsafeMutablePointer<R>,
    _ f: (A, B) -> R
) {
    let n = loop.rowLength
    // Row pointers rather than `out[o + k]`: pointer offsets carry no overflow check, so the
    // loops vectorise.
    switch (loop.inner.0, loop.inner.1) {
    case (1, 1):
        loop.forEachRow { o, ia, ib, _ in
            let (po, pa, pb) = (out + o, a + ia, b + ib)
            for k in 0..<n { po[k] = f(pa[k], pb[k]) }
        }
    case (1, 0):
        loop.forEachRow { o, ia, ib, _ in
            let (po, pa, y) = (out + o, a + ia, b[ib])
            for k in 0..<n { po[k] = f(pa[k], y) }
        }
    case (0, 1):
        loop.forEachRow { o, ia, ib, _ in
            let (po, x, pb) = (out + o, a[ia], b + ib)
            for k in 0..<n { po[k] = f(x, pb[k]) }
        }
    default:
        loop.forEachRow { o, ia, ib, _ in
            (out + o).initialize(repeating: f(a[ia], b[ib]), count: n)
        }
    }
}

/// The elements of `src` (of shape `shape`) broadcast to `outShape`, contiguous row-major.
func broadcastArray<T>(_ src: [T], shape: [Int], to outShape: [Int]) -> [T] {
    if shape == outShape { return src }
    let loop = StridedLoop(outShape: outShape, operands: [shape])
    let n = loop.rowLength
    return [T](unsafeUninitializedCapacity: loop.count) { out, initialized in
        src.withUnsafeBufferPointer { s in
            guard let base = s.baseAddress, let o = out.baseAddress else { return }
            if loop.inner.0 == 1 {
                loop.forEachRow { start, i0, _, _ in
                    (o + start).initialize(from: base + i0, count: n)
                }
            } else {
                loop.forEachRow { start, i0, _, _ in
                    (o + start).initialize(repeating: base[i0], count: n)
                }
            }
        }
        initialized = loop.count
    }
}

extension Tensor {
    /// This tensor broadcast to `outShape` (which must be a valid broadcast of its shape);
    /// `op` names the operation in the error.
    func broadcasted(to outShape: [Int], op: String) throws -> Tensor {
        if shape == outShape { return self }
        let target = try Tensor.broadcastShapes(shape, outShape, op: op)
        guard target == outShape else {
            throw TensorError(
                "shape mismatch in `\(op)`: \(formatShape(shape)) cannot broadcast to \(formatShape(outShape))")
        }
        switch data {
        case .f32(let a): return Tensor(shape: outShape, f32: broadcastArray(a, shape: shape, to: outShape))
        case .i32(let a): return Tensor(shape: outShape, i32: broadcastArray(a, shape: shape, to: outShape))
        case .bool(let a): return Tensor(shape: outShape, bool: broadcastArray(a, shape: shape, to: outShape))
        }
    }
}
