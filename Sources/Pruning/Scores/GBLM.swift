import TensorModule

/// GBLM-Pruner (algorithms.md §5): Wanda's score plus a first-order term from per-sample
/// gradients aggregated by an ℓ2 norm over calibration windows,
/// `S_ij = |W_ij|·act_norm_j + α·|W_ij|·grad_norm_ij`, selected as Wanda selects; no update.
/// `grad_norm` is unscaled (as `calibrate(..., stats: ["grad"])` returns it), so α is applied
/// here, once.
///
/// Paper: Das, Sun, Ma, Shen, "Beyond Size: How Gradients Shape Pruning Decisions in Large
/// Language Models", arXiv 2311.04902.
public enum GBLM {
    /// The paper's default weight of the gradient term.
    public static let defaultAlpha = 100.0

    /// The scores in f64; `gradNorm` must be `[out, in]`, `actNorm` `[in]`, both non-negative,
    /// and `alpha` a finite number ≥ 0.
    public static func scores(_ w: Tensor, gradNorm: Tensor, actNorm: Tensor, alpha: Double = defaultAlpha) throws -> ScoreMatrix {
        let (rows, columns) = try ScoreInputs.matrixShape(w)
        let grads = try ScoreInputs.norms(gradNorm, name: "grad_norm", shape: w.shape,
                                          what: "one gradient norm per weight, like w")
        let norms = try ScoreInputs.norms(actNorm, name: "act_norm", shape: [columns],
                                          what: "one norm per input of w \(formatShape(w.shape))")
        guard alpha >= 0, alpha.isFinite else {
            throw PruningError("alpha must be a finite number ≥ 0, got \(formatValue(alpha))")
        }
        let weights = try ScoreInputs.finiteWeights(w)
        var values = [Double](repeating: 0, count: weights.count)
        for r in 0..<rows {
            for j in 0..<columns {
                let i = r * columns + j
                let magnitude = Swift.abs(weights[i])
                values[i] = magnitude * norms[j] + alpha * magnitude * grads[i]
            }
        }
        return ScoreMatrix(rows: rows, columns: columns, values: values)
    }

    /// `w` pruned by GBLM-Pruner: per row at `sparsity:` or per N:M group, as Wanda.
    public static func prune(_ w: Tensor, gradNorm: Tensor, actNorm: Tensor, alpha: Double = defaultAlpha,
                             target: PruningTarget) throws -> PrunedLayer {
        let s = try scores(w, gradNorm: gradNorm, actNorm: actNorm, alpha: alpha)
        let mask = try MaskSelection.keepMask(s, target: target, scope: .row)
        return try PrunedLayer.masking(w, with: mask)
    }
}
