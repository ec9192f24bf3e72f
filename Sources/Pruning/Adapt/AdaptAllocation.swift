/// Adapt-Pruner's per-layer sparsity allocation (algorithms.md §8): important layers get less
/// sparsity, `s_i = clip(s − a·Î_i, 0, 0.99)` with `Î = (I − mean I)/max|I − mean I|`.
///
/// Paper: Pan et al., "Adapt-Pruner: Adaptive Structural Pruning for Efficient Small Language
/// Model Training", arXiv 2502.03460.
public enum AdaptAllocation {
    /// The largest sparsity a layer is given: every layer keeps something.
    public static let maximumSparsity = 0.99

    /// The importances centred and scaled to a largest magnitude of 1 (all 0 when they are all
    /// equal).
    public static func normalized(_ importances: [Double]) -> [Double] {
        guard !importances.isEmpty else { return [] }
        let mean = importances.reduce(0, +) / Double(importances.count)
        let centred = importances.map { $0 - mean }
        let scale = centred.map(Swift.abs).max() ?? 0
        return scale > 0 ? centred.map { $0 / scale } : centred.map { _ in 0 }
    }

    /// Per-layer sparsities around `target` with spread `amplitude`, each clipped to
    /// [0, 0.99]; without clipping their mean is `target`.
    public static func sparsities(importances: [Double], target: Double, amplitude: Double) throws(PruningError) -> [Double] {
        guard target >= 0, target < 1 else { throw PruningError("target: sparsity must be in [0, 1), got \(target)") }
        guard amplitude >= 0, amplitude.isFinite else {
            throw PruningError("amplitude: expected a finite number ≥ 0, got \(amplitude)")
        }
        guard importances.allSatisfy(\.isFinite) else { throw PruningError("importances: every importance must be finite") }
        return normalized(importances).map { min(max(target - amplitude * $0, 0), maximumSparsity) }
    }
}
