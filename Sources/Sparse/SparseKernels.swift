/// The inner loops the sparse formats share once a kept entry's column is known.
enum SparseKernels {
    /// `out[0..<count] += value · row[0..<count]` (one kept entry's share of a product with a
    /// row-major right-hand side; the compiler vectorises it).
    @inline(__always)
    static func addScaled(_ out: UnsafeMutablePointer<Float>, _ value: Float, _ row: UnsafePointer<Float>, count: Int) {
        for j in 0..<count { out[j] += value * row[j] }
    }

    /// Checks a product's operands: `vector` elements (or rows of a right-hand matrix) must
    /// equal the sparse matrix's columns.
    static func checkInner(_ columns: Int, _ inner: Int, _ what: String) throws(SparseError) {
        guard inner == columns else {
            throw SparseError("shape mismatch in `@`: the sparse matrix has \(columns) columns, the \(what) has \(inner) rows",
                              kind: .shape)
        }
    }
}
