import TensorModule

/// Adapt-Pruner's layer importance (algorithms.md §8): how much each decoder block changes the
/// residual stream, `I_i = −mean_t cos(h_in_t, h_out_t)` over the calibration tokens, so a
/// block that barely changes its input (cos → 1) scores near −1, the least important.
///
/// Paper: Pan et al., "Adapt-Pruner: Adaptive Structural Pruning for Efficient Small Language
/// Model Training", arXiv 2502.03460.
public enum LayerImportance {
    /// One importance per block, on `windows` windows of `seqlen` tokens cut as calibration
    /// cuts them (§1), each block fed the outputs of the one before it.
    public static func compute(_ weights: LlamaWeights, tokens: [Int32], windows: Int, seqlen: Int) throws(ModelError) -> [Double] {
        var hidden = try LlamaCalibration.embed(weights, tokens: tokens, windows: windows, seqlen: seqlen)
        var importances: [Double] = []
        for block in weights.layers.indices {
            let next = try LlamaCalibration.blockForward(weights, block: block, hidden: hidden)
            importances.append(-meanCosine(hidden, next, dim: weights.config.dim))
            hidden = next
        }
        return importances
    }

    /// The mean over rows of `[…, dim]` tensors of the cosine similarity of matching rows, in
    /// f64, each denominator at least 1e-8.
    static func meanCosine(_ a: Tensor, _ b: Tensor, dim: Int) -> Double {
        guard case .f32(let x) = a.data, case .f32(let y) = b.data, x.count == y.count, dim > 0 else {
            preconditionFailure("block inputs and outputs are f32 tensors of one shape")
        }
        let rows = x.count / dim
        guard rows > 0 else { return 0 }
        var total = 0.0
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                for r in 0..<rows {
                    var dot = 0.0, xx = 0.0, yy = 0.0
                    for j in (r * dim)..<((r + 1) * dim) {
                        let u = Double(xp[j]), v = Double(yp[j])
                        dot += u * v
                        xx += u * u
                        yy += v * v
                    }
                    total += dot / max((xx * yy).squareRoot(), 1e-8)
                }
            }
        }
        return total / Double(rows)
    }
}
