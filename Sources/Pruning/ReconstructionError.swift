import COpenBLAS
import TensorModule

/// The layer metric of algorithms.md §0: how much of a linear layer's output pruning moved,
/// relative to the output itself. With calibration inputs X `[T, in]` and G = XᵀX,
/// `recon_error(W, Ŵ, G) = ‖X(W−Ŵ)ᵀ‖²_F / ‖XWᵀ‖²_F = tr((W−Ŵ) G (W−Ŵ)ᵀ) / tr(W G Wᵀ)`,
/// computed from G in f64 (the scale of G cancels).
///
/// Used by SparseGPT (Frantar & Alistarh, arXiv 2301.00774) and OSSCAR as the layer-wise
/// objective; here it compares pruners on one layer.
public enum ReconstructionError {
    /// The relative reconstruction error of `pruned` against `w` (both `[out, in]`) under the
    /// Gram matrix `gram` `[in, in]`. 0 when the two are equal. When `tr(W G Wᵀ) = 0` (the
    /// dense layer's output is zero on the calibration data) the ratio is undefined: it is 0
    /// when the numerator is 0 too (nothing measurable changed) and +infinity otherwise (a
    /// zero output became nonzero). Only the symmetric part of `gram` matters (it enters a
    /// quadratic form), so any square matrix is accepted; a Gram matrix is positive
    /// semidefinite and then the result is ≥ 0.
    public static func relative(_ w: Tensor, _ pruned: Tensor, gram: Tensor) throws -> Double {
        let (rows, columns) = try ScoreInputs.matrixShape(w)
        guard pruned.shape == w.shape else {
            throw PruningError("w_pruned must have w's shape \(formatShape(w.shape)), got \(formatShape(pruned.shape))", kind: .shape)
        }
        guard gram.shape == [columns, columns] else {
            throw PruningError("gram must be [\(columns), \(columns)] (XᵀX over the \(columns) inputs of w "
                               + "\(formatShape(w.shape))), got \(formatShape(gram.shape))", kind: .shape)
        }
        guard rows > 0, columns > 0 else { return 0 }
        let original = w.doubles(), other = pruned.doubles()
        // Rows 0..<out hold W, rows out..<2·out hold W − Ŵ: one GEMM gives both products with G.
        var stacked = original
        stacked.reserveCapacity(2 * original.count)
        for i in 0..<original.count { stacked.append(original[i] - other[i]) }
        let g = gram.doubles()
        var product = [Double](repeating: 0, count: stacked.count)
        stacked.withUnsafeBufferPointer { a in
            g.withUnsafeBufferPointer { b in
                product.withUnsafeMutableBufferPointer { c in
                    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(2 * rows), Int32(columns), Int32(columns),
                                1, a.baseAddress, Int32(columns), b.baseAddress, Int32(columns), 0, c.baseAddress, Int32(columns))
                }
            }
        }
        var denominator = 0.0, numerator = 0.0
        let half = original.count
        for i in 0..<half { denominator += product[i] * stacked[i] }
        for i in half..<(2 * half) { numerator += product[i] * stacked[i] }
        if numerator == 0 { return 0 }
        if denominator == 0 { return .infinity }
        return numerator / denominator
    }
}
