import TensorModule

/// Magnitude pruning (algorithms.md §2): drop the weights of smallest absolute value; no data,
/// no update, the baseline to beat.
///
/// Paper: Han, Pool, Tran, Dally, "Learning both Weights and Connections for Efficient Neural
/// Networks", NeurIPS 2015, arXiv 1506.02626.
public enum Magnitude {
    /// The scores `|W_ij|` in f64 for a weight `[out, in]`.
    public static func scores(_ w: Tensor) throws -> ScoreMatrix {
        let (rows, columns) = try ScoreInputs.matrixShape(w)
        return ScoreMatrix(rows: rows, columns: columns, values: try ScoreInputs.finiteWeights(w).map { Swift.abs($0) })
    }

    /// `w` pruned by magnitude: unstructured sparsity counted per row (`scope: .row`, the
    /// default) or over the whole matrix (`.layer`), or N:M keeping the n largest of each group.
    public static func prune(_ w: Tensor, target: PruningTarget, scope: SelectionScope = .row) throws -> PrunedLayer {
        let mask = try MaskSelection.keepMask(try scores(w), target: target, scope: scope)
        return try PrunedLayer.masking(w, with: mask)
    }
}
