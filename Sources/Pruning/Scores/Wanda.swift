import TensorModule

/// Wanda, pruning by weights and activations (algorithms.md §3): the score of a weight is its
/// magnitude times the norm of the input it multiplies, `S_ij = |W_ij| · act_norm_j`, ranked
/// within each output row (or each N:M group); no weight update. OBS with a diagonal
/// Hessian: `w²·[XᵀX]_jj = (|w|·‖X_j‖)²`.
///
/// Paper: Sun, Liu, Bair, Kolter, "A Simple and Effective Pruning Approach for Large Language
/// Models", ICLR 2024, arXiv 2306.11695.
public enum Wanda {
    /// The scores `|W_ij| · act_norm_j` in f64; `actNorm` must be `[in]` and non-negative
    /// (`calibrate`'s `act_norm`; its overall scale does not change the ranking).
    public static func scores(_ w: Tensor, actNorm: Tensor) throws -> ScoreMatrix {
        let (rows, columns) = try ScoreInputs.matrixShape(w)
        let norms = try ScoreInputs.norms(actNorm, name: "act_norm", shape: [columns],
                                          what: "one norm per input of w \(formatShape(w.shape))")
        let weights = try ScoreInputs.finiteWeights(w)
        var values = [Double](repeating: 0, count: weights.count)
        for r in 0..<rows {
            for j in 0..<columns { values[r * columns + j] = Swift.abs(weights[r * columns + j]) * norms[j] }
        }
        return ScoreMatrix(rows: rows, columns: columns, values: values)
    }

    /// `w` pruned by Wanda: per row at `sparsity:` (exactly `⌊s·in + 1e-9⌋` removed from every
    /// row), or per N:M group; removed weights 0, kept ones unchanged.
    public static func prune(_ w: Tensor, actNorm: Tensor, target: PruningTarget) throws -> PrunedLayer {
        let mask = try MaskSelection.keepMask(try scores(w, actNorm: actNorm), target: target, scope: .row)
        return try PrunedLayer.masking(w, with: mask)
    }
}
