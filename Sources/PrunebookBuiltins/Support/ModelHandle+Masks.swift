import Models
import PrunebookLanguage
import TensorModule

/// The prunable part of a model (algorithms.md §0, "model scope"): the block linears
/// `layers.{i}.{wq, wk, wv, wo, w1, w2, w3}`, never the embedding, classifier or norms.
extension ModelHandle {
    /// The linear names inside a block, in model order.
    static let linearNames = ["wq", "wk", "wv", "wo", "w1", "w2", "w3"]

    /// Every block linear as `layers.{i}.{name}` with its weight, in model order.
    var blockLinears: [(name: String, weight: Tensor)] {
        var out: [(name: String, weight: Tensor)] = []
        for (i, layer) in weights.layers.enumerated() {
            for (name, path) in LlamaLayer.tensors where Self.linearNames.contains(name) {
                out.append(("layers.\(i).\(name)", layer[keyPath: path]))
            }
        }
        return out
    }

    /// Where the block linear called `name` (`layers.{i}.{wq…w3}`) lives, or nil when the
    /// model has no such linear.
    func linearLocation(_ name: String) -> (layer: Int, path: WritableKeyPath<LlamaLayer, Tensor>)? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "layers", let i = Int(parts[1]), String(i) == parts[1],
              weights.layers.indices.contains(i), Self.linearNames.contains(String(parts[2])),
              let path = LlamaLayer.tensors.first(where: { $0.name == parts[2] })?.path else { return nil }
        return (i, path)
    }

    /// This model with each named block linear multiplied by its keep-mask (removed weights
    /// exactly 0) and the masks merged into `masks`: a name already masked keeps the
    /// conjunction of its old and new masks (the weights its old mask zeroed stay zero), other
    /// names are added in order. Names and shapes must have been checked.
    func applyingMasks(_ masks: [(name: String, mask: Tensor)]) throws -> ModelHandle {
        var copy = self
        for (name, mask) in masks {
            guard let location = linearLocation(name) else {
                preconditionFailure("applyingMasks: unchecked name \(name)")
            }
            let (i, path) = location
            copy.weights.layers[i][keyPath: path] = try copy.weights.layers[i][keyPath: path].applyingMask(mask)
            var merged = mask
            if case .tensor(let old)? = copy.masks[name], old.dtype == .bool, old.shape == mask.shape {
                merged = try mask.applyingMask(old)
            }
            copy.masks[name] = .tensor(merged)
        }
        return copy
    }
}
