import Models
import PrunebookLanguage
import Pruning
import TensorModule

/// Adapt-Pruner builtins (builtins.md "Pruning", algorithms.md §8): layer importance from how
/// much each block changes the residual stream, the adaptive per-layer sparsity allocation,
/// and the first-order Taylor scores of FFN neurons and KV groups for structured pruning.
/// The math lives in `LayerImportance`, `ChannelTaylor` (Models) and `AdaptAllocation` (Pruning).
enum AdaptBuiltins {
    static let all: [Builtin] = [layerImportance, adaptAllocation, channelTaylor]

    /// `layer_importance(model, calib, samples: 128, seqlen: 256)`.
    static let layerImportance = Builtin(
        name: "layer_importance", category: PruningBuiltins.category,
        parameters: [.required("model", .any), .required("calib", .tensor)] + CalibrationBuiltins.windowParameters,
        returns: "list",
        summary: "one importance per decoder block: `-mean cos(h_in, h_out)` over the calibration tokens (Adapt-Pruner)",
        doc: "`h_in`/`h_out` are the residual stream entering and leaving the block, cosine over the hidden dimension "
            + "(denominator at least 1e-8), averaged over every token of the calibration windows (cut as `calibrate` "
            + "cuts them), computed in f64 from the model as it is now. A block that barely changes its input scores "
            + "near -1, the least important; feed the list to `adapt_allocation`.",
        example: ModelBuiltins.stories + "s = tokenize(m, load(data(\"tinystories_val.txt\")), bos: false)\n"
            + "imp = layer_importance(m, s, samples: 4, seqlen: 64)\nprint(len(imp))\nall(tensor(imp) > -1)",
        output: "5\ntrue\n"
    ) { args, _ in
        let model = try args.model("model")
        let tokens = try args.tokens("calib")
        let (windows, seqlen) = try CalibrationBuiltins.windowsOf(args, model, tokens)
        let importances = try LayerImportance.compute(model.weights, tokens: tokens, windows: windows, seqlen: seqlen)
        return .list(importances.map { .number($0) })
    }

    /// `adapt_allocation(importances, target: s, amplitude: 0.02)`.
    static let adaptAllocation = Builtin(
        name: "adapt_allocation", category: PruningBuiltins.category,
        parameters: [.required("importances", .any), .required("target", .number), .optional("amplitude", .number, .number(0.02))],
        returns: "list",
        summary: "per-layer sparsities around `target`: more important layers get less (Adapt-Pruner)",
        doc: "With `Î = (I − mean I) / max|I − mean I|` (all 0 when every importance is equal), layer i gets "
            + "`clip(target − amplitude·Î_i, 0, 0.99)`. Without clipping the sparsities average to `target`; "
            + "`amplitude: 0` is uniform. `importances` is a list of numbers or a 1-D tensor, e.g. `layer_importance`'s.",
        example: "adapt_allocation([-0.75, -0.25, -0.5], target: 0.5, amplitude: 0.25)",
        output: "[0.75, 0.25, 0.5]\n"
    ) { args, _ in
        let importances = try importanceList(args)
        let target = try args.number("target"), amplitude = try args.number("amplitude")
        let sparsities = try PruningBuiltins.engine(args) {
            try AdaptAllocation.sparsities(importances: importances, target: target, amplitude: amplitude)
        }
        return .list(sparsities.map { .number($0) })
    }

    /// `channel_taylor(model, tokens, samples: 128, seqlen: 256)`.
    static let channelTaylor = Builtin(
        name: "channel_taylor", category: PruningBuiltins.category,
        parameters: [.required("model", .any), .required("tokens", .tensor)] + CalibrationBuiltins.windowParameters,
        returns: "record",
        summary: "first-order Taylor scores `Σ|w·∂L/∂w|` of every FFN neuron and KV group (structured Adapt-Pruner)",
        doc: "`\"layers.{i}.w2\"` → `[hidden_dim]`: neuron j sums `|w ⊙ ∂L/∂w|` over row j of `w1` and `w3` and "
            + "column j of `w2`. `\"layers.{i}.wo\"` → `[n_kv_heads]`: KV group g sums it over rows of `wk` and `wv` "
            + "of KV head g, the rows of `wq` of its `n_heads / n_kv_heads` query heads and the matching columns of "
            + "`wo`. L is the mean over the calibration windows (cut as `calibrate` cuts them) of each window's mean "
            + "next-token cross-entropy, from the model as it is, so a channel whose weights are zero scores 0. "
            + "Sums run in f64. Removing the lowest-scoring channels is what `adapt_prune(method: \"structured\")` does.",
        example: "m = init_model({dim: 8, hidden_dim: 6, n_layers: 1, n_heads: 4, n_kv_heads: 2, vocab_size: 10, seq_len: 8}, seed: 1)\n"
            + "s = tensor([1, 4, 2, 8, 5, 7, 3, 9, 0, 6, 2, 5, 1, 8, 4, 3, 7], dtype: \"i32\")\n"
            + "c = channel_taylor(m, s, samples: 2, seqlen: 8)\nprint(keys(c), shape(c[\"layers.0.wo\"]), shape(c[\"layers.0.w2\"]))\n"
            + "m.layers[0].w1[2] = 0\nm.layers[0].w3[2] = 0\nm.layers[0].w2[:, 2] = 0\n"
            + "c = channel_taylor(m, s, samples: 2, seqlen: 8)\nc[\"layers.0.w2\"] == 0",
        output: "[\"layers.0.wo\", \"layers.0.w2\"] [2] [6]\ntensor([false, false,  true, false, false, false], bool)\n"
    ) { args, context in
        let model = try args.model("model")
        let tokens = try args.tokens("tokens")
        let (windows, seqlen) = try CalibrationBuiltins.windowsOf(args, model, tokens)
        let scores = try ProgressBar.reporting("channel_taylor", unit: "windows", context) { progress in
            try ChannelTaylor.compute(model.weights, tokens: tokens, windows: windows, seqlen: seqlen, progress: progress)
        }
        var out = Record()
        for (name, tensor) in scores { out[name] = .tensor(tensor) }
        return .record(out)
    }

    /// `importances:` as numbers, from a list of numbers or a 1-D tensor.
    private static func importanceList(_ args: Arguments) throws -> [Double] {
        switch args["importances"] {
        case .tensor(let t) where t.ndim == 1:
            return t.doubles()
        case .list(let items):
            return try items.map { item in
                guard case .number(let x) = item else {
                    throw args.error("importances", "`importances` must be a list of numbers, got an element of type \(item.typeName)")
                }
                return x
            }
        default:
            throw args.error("importances", "`importances` must be a list of numbers or a 1-D tensor, got \(args["importances"].typeName)")
        }
    }
}
