import TensorModule

/// What a matrix pruner returns: the pruned weights (removed entries exactly 0, the
/// weight's dtype) and the bool keep-mask (true = kept), the record `{weights, mask}` of the
/// pruning builtins.
public struct PrunedLayer: Sendable, Equatable {
    /// The weights after pruning, shaped like the input weight.
    public var weights: Tensor
    /// The keep-mask, bool, shaped like the weight.
    public var mask: Tensor

    /// A result from its parts.
    public init(weights: Tensor, mask: Tensor) {
        self.weights = weights
        self.mask = mask
    }

    /// `w` with the entries `mask` removes set to 0 and the others unchanged.
    static func masking(_ w: Tensor, with mask: Tensor) throws -> PrunedLayer {
        do {
            return PrunedLayer(weights: try w.applyingMask(mask), mask: mask)
        } catch let error as TensorError {
            throw PruningError(error.message, kind: .shape)
        }
    }
}
