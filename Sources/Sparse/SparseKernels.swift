/// The inner loop the sparse formats share once a stored entry's column is known.
enum SparseKernels {
    /// `out[0..<count] += value · row[0..<count]` (one stored entry's share of a product with a
    /// row-major right-hand side; the compiler vectorises it).
    @inline(__always)
    static func addScaled(_ out: UnsafeMutablePointer<Float>, _ value: Float, _ row: UnsafePointer<Float>, count: Int) {
        for j in 0..<count { out[j] += value * row[j] }
    }
}
