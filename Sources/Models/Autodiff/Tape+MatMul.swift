import COpenBLAS
import TensorModule

// Matrix products on the tape, all through BLAS sgemm: NumPy `@` for 2-d and batched 3-d
// operands, and the model's `linear` (x · Wᵀ with W stored `[out, in]`).
extension Tape {
    /// `a @ b` with NumPy semantics for 2-d and 3-d operands: `[m, k] @ [k, n]`, or a batch
    /// `[b, m, k] @ [b, k, n]`, where a 2-d operand is shared by every matrix of the batch.
    public func matmul(_ a: Variable, _ b: Variable) throws(ModelError) -> Variable {
        let x = value(a), y = value(b)
        guard (2...3).contains(x.ndim), (2...3).contains(y.ndim), x.shape[x.ndim - 1] == y.shape[y.ndim - 2],
              x.ndim == 2 || y.ndim == 2 || x.shape[0] == y.shape[0] else {
            throw ModelError("matmul: shapes \(x.shape) and \(y.shape) do not multiply (expected [m, k] or [b, m, k] @ [k, n] or [b, k, n])",
                             kind: .shape)
        }
        let m = x.shape[x.ndim - 2], k = x.shape[x.ndim - 1], n = y.shape[y.ndim - 1]
        let batch = x.ndim == 3 ? x.shape[0] : (y.ndim == 3 ? y.shape[0] : 1)
        let strideA = x.ndim == 3 ? m * k : 0, strideB = y.ndim == 3 ? k * n : 0
        let av = floatValues(x), bv = floatValues(y)
        let outShape = (x.ndim == 3 || y.ndim == 3 ? [batch] : []) + [m, n]
        let out = zeroFloats(batch * m * n) { c in
            withFloats(av) { pa in withFloats(bv) { pb in
                for i in 0..<batch {
                    gemm(false, false, m, n, k, 1, pa + i * strideA, k, pb + i * strideB, n, 0, c + i * m * n, n)
                }
            } }
        }
        return record(Tensor(shape: outShape, f32: out), inputs: [a, b]) { up, needed in
            withFloats(up) { g in
                // dA = dC · Bᵀ, dB = Aᵀ · dC; a shared 2-d operand sums over the batch.
                let ga: [Float]? = needed[0] ? zeroFloats(av.count) { da in withFloats(bv) { pb in
                    for i in 0..<batch { gemm(false, true, m, k, n, 1, g + i * m * n, n, pb + i * strideB, n, 1, da + i * strideA, k) }
                } } : nil
                let gb: [Float]? = needed[1] ? zeroFloats(bv.count) { db in withFloats(av) { pa in
                    for i in 0..<batch { gemm(true, false, k, n, m, 1, pa + i * strideA, k, g + i * m * n, n, 1, db + i * strideB, n) }
                } } : nil
                return [ga, gb]
            }
        }
    }

    /// `x · Wᵀ` for `x` `[rows, in]` and a weight `W` `[out, in]` (the model's convention,
    /// y = W x per row), giving `[rows, out]`.
    public func linear(_ x: Variable, _ w: Variable) throws(ModelError) -> Variable {
        let input = value(x), weight = value(w)
        guard input.ndim == 2, weight.ndim == 2, input.shape[1] == weight.shape[1] else {
            throw ModelError("linear: input \(input.shape) and weight \(weight.shape) do not fit (expected [rows, in] and [out, in])",
                             kind: .shape)
        }
        let rows = input.shape[0], inDim = input.shape[1], outDim = weight.shape[0]
        let xv = floatValues(input), wv = floatValues(weight)
        let out = zeroFloats(rows * outDim) { y in
            withFloats(xv) { px in withFloats(wv) { pw in gemm(false, true, rows, outDim, inDim, 1, px, inDim, pw, inDim, 0, y, outDim) } }
        }
        return record(Tensor(shape: [rows, outDim], f32: out), inputs: [x, w]) { up, needed in
            withFloats(up) { g in
                // dx = dy · W, dW = dyᵀ · x.
                let gx: [Float]? = needed[0] ? zeroFloats(xv.count) { dx in withFloats(wv) { pw in
                    gemm(false, false, rows, inDim, outDim, 1, g, outDim, pw, inDim, 0, dx, inDim)
                } } : nil
                let gw: [Float]? = needed[1] ? zeroFloats(wv.count) { dw in withFloats(xv) { px in
                    gemm(true, false, outDim, inDim, rows, 1, g, outDim, px, inDim, 0, dw, inDim)
                } } : nil
                return [gx, gw]
            }
        }
    }
}

/// Row-major `C = α · op(A) · op(B) + β · C` for `op(A)` `[m, k]` and `op(B)` `[k, n]`
/// (`transA`/`transB` read the stored matrix transposed), via `cblas_sgemm`. Empty products
/// leave `C` scaled by β (nothing to do for the β ∈ {0 on zeros, 1} the tape uses).
///
/// Products of at least `parallelGemmWork` multiply-adds split C's rows into one band per core,
/// each a single-threaded sgemm (`concurrentWindows`): a training step's products are too
/// small for OpenBLAS's own threads, whose spinning between calls cost a fifth of the step
/// (measured with perf), while the bands keep both cores busy. The bands are fixed by the
/// shape and the core count, so a run is deterministic; they equal one whole call to
/// rounding (tested).
@inline(__always)
func gemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
          _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
          _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    guard m > 0, n > 0, k > 0 else { return }
    let lanes = coreCount
    guard lanes > 1, m >= 2 * lanes, m * n * k >= parallelGemmWork else {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        return
    }
    let band = (m + lanes - 1) / lanes
    nonisolated(unsafe) let (a, b, c) = (a, b, c)
    concurrentWindows(lanes) { lane in
        let first = lane * band, rows = min(band, m - first)
        guard rows > 0 else { return }
        // Row `first` of op(A) is row `first` of A, or column `first` when A is read transposed.
        let aBand = transA ? a + first : a + first * lda
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(rows), Int32(n), Int32(k), alpha, aBand, Int32(lda), b, Int32(ldb), beta,
                    c + first * ldc, Int32(ldc))
    }
}

/// The multiply-adds above which `gemm` splits a product across cores.
let parallelGemmWork = 1 << 20
