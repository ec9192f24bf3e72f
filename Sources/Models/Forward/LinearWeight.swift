import COpenBLAS
import Foundation

/// One linear layer's matrix `W` `[outDim, inDim]` (y = W x), row-major, plus — for
/// decoding — a transposed copy when it is small.
///
/// Many rows at once go to BLAS sgemm. One row (KV-cache decoding) is a matrix-vector product
/// where a BLAS call's fixed cost outweighs the arithmetic at stories260K's sizes (115 calls
/// per token); with `Wᵀ` the product is `y = Σ_i x_i · Wᵀ[i, :]`, contiguous multiply-adds the
/// compiler vectorises without horizontal sums. Large matrices keep sgemv, which streams
/// memory at full bandwidth and threads. A compressed model's linears carry a `LinearKernel`
/// (a sparse matrix) that replaces all of this.
struct LinearWeight: Sendable {
    /// `W`, `[outDim, inDim]`.
    let values: [Float]
    /// `Wᵀ`, `[inDim, outDim]`; empty unless made for decoding and small.
    let transposed: [Float]
    let outDim: Int, inDim: Int
    /// The sparse kernel that computes the product instead, when the model is compressed.
    let kernel: (any LinearKernel)?

    /// Matrices with at most this many weights get a transposed copy for decoding.
    static let transposeLimit = 1 << 18

    /// Threads a sparse kernel may use: every core.
    static let kernelThreads = ProcessInfo.processInfo.activeProcessorCount

    /// A weight from its row-major values; `transpose` asks for the decoding copy (never made
    /// when `kernel` computes the product).
    init(_ values: [Float], outDim: Int, inDim: Int, transpose: Bool, kernel: (any LinearKernel)? = nil) {
        self.values = values
        self.outDim = outDim
        self.inDim = inDim
        self.kernel = kernel
        guard transpose, kernel == nil, values.count <= LinearWeight.transposeLimit else {
            transposed = []
            return
        }
        transposed = [Float](unsafeUninitializedCapacity: values.count) { t, count in
            for o in 0..<outDim {
                for i in 0..<inDim { t[i * outDim + o] = values[o * inDim + i] }
            }
            count = values.count
        }
    }

    /// `out[rows, outDim] (+)= x[rows, inDim] · Wᵀ`; with `accumulate` the product is added to
    /// `out` (a residual connection).
    func apply(_ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, rows: Int, accumulate: Bool = false) {
        guard outDim > 0 else { return }
        if let kernel {
            kernel.linear(out, x, positions: rows, accumulate: accumulate, threads: LinearWeight.kernelThreads)
        } else if rows == 1 && !transposed.isEmpty {
            transposed.withUnsafeBufferPointer { t in
                guard let wt = t.baseAddress else { return }
                transposedProduct(out, x, wt, accumulate: accumulate)
            }
        } else if rows == 1 {
            cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(outDim), Int32(inDim), 1, values, Int32(inDim), x, 1,
                        accumulate ? 1 : 0, out, 1)
        } else {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outDim), Int32(inDim),
                        1, x, Int32(inDim), values, Int32(inDim), accumulate ? 1 : 0, out, Int32(outDim))
        }
    }

    /// `out (+)= Σ_i x[i] · Wᵀ[i, :]`, 32 outputs at a time held in vector registers across
    /// the whole sum; even and odd `i` go to separate accumulators (added at the end) so the
    /// fused multiply-adds do not wait on each other. The summation order is fixed.
    private func transposedProduct(_ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>,
                                   _ wt: UnsafePointer<Float>, accumulate: Bool) {
        let stride = 4 * outDim
        var o = 0
        while o + 32 <= outDim {
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
            var b0 = SIMD8<Float>(), b1 = SIMD8<Float>(), b2 = SIMD8<Float>(), b3 = SIMD8<Float>()
            // Pointer steps, not checked integer offsets, keep the loop body to loads and FMAs.
            var p = UnsafeRawPointer(wt + o)
            var xi = x
            let end = x + (inDim & ~1)
            while xi < end {
                let s = SIMD8<Float>(repeating: xi[0]), t = SIMD8<Float>(repeating: xi[1])
                let q = p + stride
                a0.addProduct(s, p.loadUnaligned(as: SIMD8<Float>.self))
                a1.addProduct(s, p.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
                a2.addProduct(s, p.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
                a3.addProduct(s, p.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
                b0.addProduct(t, q.loadUnaligned(as: SIMD8<Float>.self))
                b1.addProduct(t, q.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
                b2.addProduct(t, q.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
                b3.addProduct(t, q.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
                p = q + stride
                xi += 2
            }
            if inDim & 1 == 1 {
                let s = SIMD8<Float>(repeating: xi[0])
                a0.addProduct(s, p.loadUnaligned(as: SIMD8<Float>.self))
                a1.addProduct(s, p.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
                a2.addProduct(s, p.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
                a3.addProduct(s, p.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
            }
            a0 += b0
            a1 += b1
            a2 += b2
            a3 += b3
            let target = UnsafeMutableRawPointer(out + o)
            if accumulate {
                a0 += target.loadUnaligned(fromByteOffset: 0, as: SIMD8<Float>.self)
                a1 += target.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                a2 += target.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
                a3 += target.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
            }
            target.storeBytes(of: a0, toByteOffset: 0, as: SIMD8<Float>.self)
            target.storeBytes(of: a1, toByteOffset: 32, as: SIMD8<Float>.self)
            target.storeBytes(of: a2, toByteOffset: 64, as: SIMD8<Float>.self)
            target.storeBytes(of: a3, toByteOffset: 96, as: SIMD8<Float>.self)
            o += 32
        }
        while o + 8 <= outDim {
            var a0 = SIMD8<Float>(), b0 = SIMD8<Float>()
            var p = UnsafeRawPointer(wt + o)
            var xi = x
            let end = x + (inDim & ~1)
            while xi < end {
                a0.addProduct(SIMD8(repeating: xi[0]), p.loadUnaligned(as: SIMD8<Float>.self))
                b0.addProduct(SIMD8(repeating: xi[1]), (p + stride).loadUnaligned(as: SIMD8<Float>.self))
                p += 2 * stride
                xi += 2
            }
            if inDim & 1 == 1 { a0.addProduct(SIMD8(repeating: xi[0]), p.loadUnaligned(as: SIMD8<Float>.self)) }
            a0 += b0
            let target = UnsafeMutableRawPointer(out + o)
            if accumulate { a0 += target.loadUnaligned(as: SIMD8<Float>.self) }
            target.storeBytes(of: a0, as: SIMD8<Float>.self)
            o += 8
        }
        // The last (< 8) outputs one at a time, four interleaved partial sums each.
        while o < outDim {
            var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
            var i = 0
            while i + 4 <= inDim {
                s0 += x[i] * wt[i * outDim + o]
                s1 += x[i + 1] * wt[(i + 1) * outDim + o]
                s2 += x[i + 2] * wt[(i + 2) * outDim + o]
                s3 += x[i + 3] * wt[(i + 3) * outDim + o]
                i += 4
            }
            while i < inDim {
                s0 += x[i] * wt[i * outDim + o]
                i += 1
            }
            let sum = (s0 + s1) + (s2 + s3)
            out[o] = accumulate ? out[o] + sum : sum
            o += 1
        }
    }
}
