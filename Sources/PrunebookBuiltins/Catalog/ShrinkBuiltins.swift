import Models
import PrunebookLanguage
import TensorModule

/// `shrink`: structured pruning made physical (algorithms.md §7 "Model level"): whole FFN
/// neurons and key/value groups removed from the matrices, the config given per-layer widths
/// (engine: `LlamaWeights.shrunk`). OSSCAR's model level and structured Adapt-Pruner end here.
enum ShrinkBuiltins {
    static let all: [Builtin] = [shrink]

    /// `shrink(model, kept)`.
    static let shrink = Builtin(
        name: "shrink", category: PruningBuiltins.category,
        parameters: [.required("model", .any), .required("kept", .record)],
        returns: "model",
        summary: "the model with whole FFN neurons and key/value head groups removed physically, as `kept` lists what stays",
        doc: "`kept` is keyed as `osscar(model, ...)`'s: `\"layers.{i}.w2\"` → the FFN neurons block i keeps (rows of "
            + "`w1`, `w3`, columns of `w2`), `\"layers.{i}.wo\"` → the key/value groups it keeps. Under grouped-query "
            + "attention (n_rep = n_heads / n_kv_heads query heads share a key/value head) keeping group g keeps "
            + "key/value head g (its `head_size` rows of `wk`, `wv`), query heads g·n_rep ..< (g+1)·n_rep (their rows "
            + "of `wq`) and the matching n_rep·head_size columns of `wo`, so every query head still reads its own "
            + "key/value head. Indices are whole numbers, sorted, without repeats, within the block's widths (a list, "
            + "range or 1-D tensor); an empty list removes the block's FFN or attention (it then adds nothing to the "
            + "residual). A block without a key keeps that part whole. `head_size` is unchanged; the config's "
            + "`hidden_dim`, `n_heads`, `n_kv_heads` become per-layer lists when blocks differ, and `save_model` / "
            + "`load_model` keep them. The result carries no masks (their shapes no longer fit); its logits equal "
            + "those of the model with the removed columns of `w2` and `wo` zeroed. The argument model is not "
            + "changed.",
        example: "m = init_model({dim: 16, hidden_dim: 32, n_layers: 2, n_heads: 4, n_kv_heads: 2, vocab_size: 20, seq_len: 16}, seed: 1)\n"
            + "s = shrink(m, {\"layers.0.w2\": range(0, 32, 2), \"layers.1.wo\": [1]})\n"
            + "print(s.config.hidden_dim, s.config.n_heads, s.config.n_kv_heads)\n"
            + "print(shape(s.layers[1].wq), shape(s.layers[1].wo), shape(s.layers[0].w1))\n"
            + "z = m\nz.layers[0].w2[:, range(1, 32, 2)] = 0\nz.layers[1].wo[:, 0:8] = 0\n"
            + "t = [1, 5, 2, 19, 7]\nmax(abs(logits(s, t) - logits(z, t))) < 1e-5",
        output: "[16, 32] [4, 2] [2, 1]\n[8, 16] [16, 8] [16, 16]\ntrue\n"
    ) { args, _ in
        let model = try args.model("model")
        let (neurons, groups) = try keptChannels(args, model)
        var shrunk = model
        do throws(ModelError) {
            shrunk.weights = try model.weights.shrunk(neurons: neurons, kvGroups: groups)
        } catch {
            throw args.error("kept", error.message, kind: error.prunebookError.kind)
        }
        shrunk.masks = Record()
        return .handle(shrunk)
    }

    /// The kept neurons (`layers.{i}.w2`) and key/value groups (`layers.{i}.wo`) of argument
    /// `kept`, by block.
    private static func keptChannels(_ args: Arguments, _ model: ModelHandle) throws -> (neurons: [Int: [Int]], groups: [Int: [Int]]) {
        var neurons: [Int: [Int]] = [:], groups: [Int: [Int]] = [:]
        let names = model.weights.layers.indices.flatMap { ["layers.\($0).w2", "layers.\($0).wo"] }
        for (key, value) in try args.record("kept").fields {
            guard let location = model.linearLocation(key), key.hasSuffix(".w2") || key.hasSuffix(".wo") else {
                let hint = closestName(to: key, among: names).map { " (did you mean `\($0)`?)" } ?? ""
                throw args.error("kept", "`\(key)` is not a shrinkable part of this model\(hint); `kept` names "
                                 + "`layers.{i}.w2` (FFN neurons) or `layers.{i}.wo` (key/value groups) with i in "
                                 + "0...\(max(0, model.weights.layers.count - 1))", kind: .name)
            }
            let indices = try wholeNumbers(value, key, args)
            if key.hasSuffix(".w2") { neurons[location.layer] = indices } else { groups[location.layer] = indices }
        }
        return (neurons, groups)
    }

    /// A list, range or 1-D tensor of whole numbers.
    private static func wholeNumbers(_ value: Value, _ key: String, _ args: Arguments) throws -> [Int] {
        let numbers: [Double]? = switch value {
        case .range(let r): (0..<r.count).map(r.element)
        case .list(let items) where items.isEmpty: []
        case .tensor, .list: (try? value.asTensor()).flatMap { $0.ndim == 1 && $0.dtype != .bool ? $0.doubles() : nil }
        default: nil
        }
        guard let numbers, numbers.allSatisfy({ $0 == $0.rounded() && abs($0) < 9e15 }) else {
            throw args.error("kept", "`\(key)` must be a list of whole-number indices, got \(value.displayText)")
        }
        return numbers.map { Int($0) }
    }
}
