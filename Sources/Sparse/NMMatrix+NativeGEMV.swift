import CSparseKernels

/// Which n:m GEMV kernel runs.
enum GEMVKernel: Sendable {
    /// The C kernel (`CSparseKernels`: AVX2 in-register permutes) when this CPU has it, else
    /// the portable one.
    case best
    /// The Swift kernel (`NMMatrix+Kernels.swift`), on any CPU.
    case portable

    /// True when this CPU runs the C kernel (x86-64 with AVX2, FMA and F16C).
    static let nativeAvailable = csk_nm_gemv_available() == 1
}

/// The GEMV through the C kernel: the row blocks are split over threads here, as for the
/// Swift kernel, and each range is one call.
extension NMMatrix {
    /// `y = A x` (or `y += A x`) with the C kernel; only when `GEMVKernel.nativeAvailable`.
    func nativeGEMV(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ accumulate: Bool, _ threads: Int) {
        if storage == .f32 {
            values.withUnsafeBytes { nativeGEMV($0.baseAddress, x, y, accumulate, threads) }
        } else {
            halfValues.withUnsafeBytes { nativeGEMV($0.baseAddress, x, y, accumulate, threads) }
        }
    }

    private func nativeGEMV(_ values: UnsafeRawPointer?, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                            _ accumulate: Bool, _ threads: Int) {
        indices.withUnsafeBufferPointer { idx in
            nonisolated(unsafe) let matrix = CSKNMMatrix(values: values, indices: idx.baseAddress, rows: rows, groups: columns / m,
                                                         n: Int32(n), m: Int32(m), bits: Int32(bitsPerIndex),
                                                         half: storage == .f16 ? 1 : 0)
            nonisolated(unsafe) let (x, y) = (x, y)
            RowThreads.forEachRange(rows: blocks, work: rows * keptPerRow, threads: threads) { range in
                withUnsafePointer(to: matrix) { csk_nm_gemv($0, x, y, range.lowerBound, range.upperBound, accumulate ? 1 : 0) }
            }
        }
    }
}
