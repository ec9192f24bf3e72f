import COpenBLAS

// Matrix products (`@`, `dot`, `outer`) on f32 through CBLAS. Operands stay in their row-major
// storage: a contiguous f32 matrix goes to `cblas_sgemm`/`cblas_sgemv` without a copy.

extension Tensor {
    /// The matrix product `a @ b` with NumPy `matmul` semantics.
    ///
    /// - 1-D @ 1-D: the dot product, a 0-d tensor.
    /// - 2-D @ 2-D: `[m, k] @ [k, n]` → `[m, n]` (`cblas_sgemm`; `cblas_sgemv` when one side is
    ///   a vector or the left has one row).
    /// - A 1-D left operand is read as a row `[1, k]`, a 1-D right one as a column `[k, 1]`;
    ///   the added axis is dropped from the result.
    /// - N-D: the last two axes are matrices, the leading ones batch axes that broadcast.
    ///
    /// i32 and bool operands are converted to f32; the result is f32. A zero-length inner
    /// dimension gives zeros.
    public static func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        // Formatted only on the error paths, so small products pay no string work.
        func shapes() -> String { "\(formatShape(a.shape)) @ \(formatShape(b.shape))" }
        guard a.ndim >= 1, b.ndim >= 1 else {
            throw TensorError("`@` needs operands with at least 1 dimension, got \(shapes())")
        }
        let k = a.shape[a.ndim - 1]
        let kb = b.ndim == 1 ? b.shape[0] : b.shape[b.ndim - 2]
        guard k == kb else {
            throw TensorError("shape mismatch in `@`: \(shapes()) (inner dimensions \(k) and \(kb) differ)")
        }
        let m = a.ndim == 1 ? 1 : a.shape[a.ndim - 2]
        let n = b.ndim == 1 ? 1 : b.shape[b.ndim - 1]
        let aBatch = a.ndim > 2 ? Array(a.shape[..<(a.ndim - 2)]) : []
        let bBatch = b.ndim > 2 ? Array(b.shape[..<(b.ndim - 2)]) : []
        guard let batch = matmulBroadcastBatch(aBatch, bBatch) else {
            let batches = "\(formatShape(aBatch)) and \(formatShape(bBatch))"
            throw TensorError("shape mismatch in `@`: \(shapes()) (batch dimensions \(batches) cannot broadcast)")
        }
        var outShape = batch
        if a.ndim > 1 { outShape.append(m) }
        if b.ndim > 1 { outShape.append(n) }
        try checkBLASExtents([m, n, k])

        let batchCount = elementCount(batch)
        let total = batchCount * m * n
        let av = a.matmulFloats()
        let bv = b.matmulFloats()
        if total == 0 || k == 0 {
            return Tensor(shape: outShape, f32: [Float](repeating: 0, count: total))
        }
        let result = [Float](unsafeUninitializedCapacity: total) { out, initialized in
            av.withUnsafeBufferPointer { ap in
                bv.withUnsafeBufferPointer { bp in
                    guard let aBase = ap.baseAddress, let bBase = bp.baseAddress,
                          let cBase = out.baseAddress else { return }
                    if elementCount(bBatch) == 1 && elementCount(aBatch) == batchCount {
                        // The right matrix is shared by every batch: one product over
                        // all left rows stacked, `[batch·m, k] @ [k, n]`.
                        matmulKernel(aBase, bBase, cBase, m: batchCount * m, n: n, k: k,
                                     bIsVector: b.ndim == 1)
                    } else {
                        let offsets = matmulBatchOffsets(batch: batch, aBatch: aBatch, bBatch: bBatch)
                        for (index, pair) in offsets.enumerated() {
                            matmulKernel(aBase + pair.a * m * k, bBase + pair.b * k * n,
                                         cBase + index * m * n, m: m, n: n, k: k,
                                         bIsVector: b.ndim == 1)
                        }
                    }
                }
            }
            initialized = total
        }
        return Tensor(shape: outShape, f32: result)
    }

    /// The dot product of two 1-D tensors of equal length, as a 0-d f32 tensor.
    public static func dot(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard a.ndim == 1, b.ndim == 1 else {
            throw TensorError(
                "dot needs two 1-d tensors, got \(formatShape(a.shape)) and \(formatShape(b.shape))")
        }
        guard a.count == b.count else {
            throw TensorError(
                "shape mismatch in dot: \(formatShape(a.shape)) and \(formatShape(b.shape)) (lengths \(a.count) and \(b.count) differ)")
        }
        return try matmul(a, b)
    }

    /// The outer product `a[i] · b[j]` as an `[a.count, b.count]` f32 matrix; like NumPy,
    /// operands of any shape are flattened first.
    public static func outer(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let av = a.matmulFloats()
        let bv = b.matmulFloats()
        let m = av.count
        let n = bv.count
        let (total, overflow) = m.multipliedReportingOverflow(by: n)
        guard !overflow else {
            throw TensorError("outer product of \(m) and \(n) elements is too large")
        }
        let result = [Float](unsafeUninitializedCapacity: total) { out, initialized in
            av.withUnsafeBufferPointer { ap in
                bv.withUnsafeBufferPointer { bp in
                    for i in 0..<m {
                        let x = ap[i]
                        let row = i * n
                        for j in 0..<n { out[row + j] = x * bp[j] }
                    }
                }
            }
            initialized = total
        }
        return Tensor(shape: [m, n], f32: result)
    }

    /// The elements as f32, without a copy when already f32.
    fileprivate func matmulFloats() -> [Float] {
        if case .f32(let values) = data { return values }
        return floats()
    }
}

/// One matrix product `C[m, n] = A[m, k] · B[k, n]` on row-major buffers, `k > 0`; `B` is a
/// length-`k` vector when `bIsVector` (then `n == 1`). Picks `cblas_sgemv` for matrix-vector
/// and single-row products, `cblas_sgemm` otherwise.
fileprivate func matmulKernel(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                              _ c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int,
                              bIsVector: Bool) {
    let mi = Int32(m), ni = Int32(n), ki = Int32(k)
    if n == 1 {
        // A · b: a column vector, or B with one column (same layout as a vector of length k).
        if m == 1 {
            c[0] = cblas_sdot(ki, a, 1, b, 1)
        } else {
            cblas_sgemv(CblasRowMajor, CblasNoTrans, mi, ki, 1, a, ki, b, 1, 0, c, 1)
        }
    } else if m == 1 {
        // aᵀ B = Bᵀ a: a row vector times a `[k, n]` matrix.
        cblas_sgemv(CblasRowMajor, CblasTrans, ki, ni, 1, b, ni, a, 1, 0, c, 1)
    } else {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, mi, ni, ki,
                    1, a, ki, b, ni, 0, c, ni)
    }
}

/// The broadcast of two batch shapes (NumPy rules, aligned on the right), or nil.
fileprivate func matmulBroadcastBatch(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = max(a.count, b.count)
    var out = [Int](repeating: 1, count: rank)
    for axis in 0..<rank {
        let x = axis - (rank - a.count) >= 0 ? a[axis - (rank - a.count)] : 1
        let y = axis - (rank - b.count) >= 0 ? b[axis - (rank - b.count)] : 1
        if x == y || y == 1 {
            out[axis] = x
        } else if x == 1 {
            out[axis] = y
        } else {
            return nil
        }
    }
    return out
}

/// For each batch position of the broadcast `batch` shape (row-major), the index of the left
/// and right matrices it multiplies.
fileprivate func matmulBatchOffsets(batch: [Int], aBatch: [Int], bBatch: [Int]) -> [(a: Int, b: Int)] {
    let rank = batch.count
    func broadcastStrides(_ shape: [Int]) -> [Int] {
        let own = Tensor.strides(of: shape)
        return (0..<rank).map { axis in
            let local = axis - (rank - shape.count)
            return local >= 0 && shape[local] != 1 ? own[local] : 0
        }
    }
    let aStrides = broadcastStrides(aBatch)
    let bStrides = broadcastStrides(bBatch)
    let count = Tensor.elementCount(batch)
    var offsets: [(a: Int, b: Int)] = []
    offsets.reserveCapacity(count)
    var position = [Int](repeating: 0, count: rank)
    for _ in 0..<count {
        var ai = 0, bi = 0
        for axis in 0..<rank {
            ai += position[axis] * aStrides[axis]
            bi += position[axis] * bStrides[axis]
        }
        offsets.append((ai, bi))
        var axis = rank - 1
        while axis >= 0 {
            position[axis] += 1
            if position[axis] < batch[axis] { break }
            position[axis] = 0
            axis -= 1
        }
    }
    return offsets
}

/// Throws when an extent does not fit BLAS's 32-bit integers.
fileprivate func checkBLASExtents(_ extents: [Int]) throws {
    for extent in extents where extent > Int(Int32.max) {
        throw TensorError("matrix extent \(extent) exceeds the BLAS limit of \(Int32.max)")
    }
}
