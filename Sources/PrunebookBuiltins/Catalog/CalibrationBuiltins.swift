import Foundation
import Models
import PrunebookLanguage
import TensorModule

/// Calibration builtins (algorithms.md §1): the statistics pruners rank by (`calibrate`) and
/// the hidden states for sequential block-by-block calibration (`embed`, `block_forward`).
enum CalibrationBuiltins {
    static let all: [Builtin] = [calibrate, embed, blockForward]

    static let category = "Models"

    /// Options shared by every builtin that cuts calibration windows.
    static let windowParameters: [Parameter] = [
        .optional("samples", .integer, .number(128)), .optional("seqlen", .optional(.integer), .nilValue),
    ]

    /// `calibrate(model, tokens, samples: 128, seqlen: 256, stats: ["norm", "gram"], block:, hidden:)`.
    static let calibrate = Builtin(
        name: "calibrate", category: category,
        parameters: [.required("model", .any), .optional("tokens", .optional(.tensor), .nilValue)] + windowParameters
            + [.optional("stats", .list, .list([.string("norm"), .string("gram")])),
               .optional("block", .optional(.integer), .nilValue), .optional("hidden", .optional(.tensor), .nilValue)],
        returns: "record",
        summary: "statistics of every block linear on calibration windows: `\"layers.{i}.{name}\"` → `{act_norm, gram, grad}` as asked",
        doc: "Windows: `samples` consecutive non-overlapping windows of `seqlen` tokens (default 256, or the model's "
            + "seq_len if smaller) from the start of `tokens`, each from position 0; fewer when fewer fit (with a "
            + "warning on stderr), an error when none fits. The model runs as it is (pruned weights included). "
            + "For each linear `wq wk wv wo w1 w2 w3` of each block, with X its inputs `[T, in]`: `act_norm` "
            + "(stat \"norm\") is `sqrt(Σ_t x_tj² / samples)`, `gram` (stat \"gram\") is XᵀX; sums run in f64 and "
            + "are returned as f32. `wq wk wv` share one input (the attention norm's output), as do `w1 w3`; "
            + "`wo` sees the concatenated heads and `w2` `silu(w1 x) ⊙ (w3 x)`. With `block: b, hidden: h` (and no "
            + "tokens) only block b's entries, from the hidden states `h` `[windows, seqlen, dim]` that `embed` "
            + "and `block_forward` give, for sequential calibration. `grad` (stat \"grad\", GBLM-Pruner's) is `[out, in]`: "
            + "`sqrt(Σ_n g_n²)` over windows n, g_n the weight gradient of window n's mean next-token "
            + "cross-entropy (inputs `s[nW ..< nW+W]`, targets one token later, as `perplexity` scores), from the "
            + "model as it is (GBLM wants the dense model); it is not available with `block:`.",
        example: ModelBuiltins.stories + "s = tokenize(m, load(data(\"tinystories_val.txt\")), bos: false)\n"
            + "c = calibrate(m, s, samples: 4, seqlen: 64)\n"
            + "print(len(keys(c)), keys(c)[0:3])\ng = c[\"layers.0.w2\"].gram\nprint(shape(g), shape(c[\"layers.0.w2\"].act_norm))\n"
            + "d = diag(g) / 4\nmax(abs(c[\"layers.0.w2\"].act_norm ** 2 - d)) <= 1e-5 * max(d)",
        output: "35 [\"layers.0.wq\", \"layers.0.wk\", \"layers.0.wv\"]\n[172, 172] [172]\ntrue\n"
    ) { args, context in
        let model = try args.model("model")
        let stats = try statsRequested(args)
        if let block = try args.optionalInt("block") {
            guard args.isNil("tokens") else {
                throw args.error("tokens", "give either `tokens` or `block:` with `hidden:`, not both", kind: .value)
            }
            guard !args.isNil("hidden") else { throw args.error("hidden", "`block:` needs `hidden:` (from `embed` or `block_forward`)", kind: .value) }
            guard !stats.grad else {
                throw args.error("stats", "the \"grad\" statistic needs the whole model's loss, so it cannot be computed "
                                 + "from one block's hidden states; calibrate it with `tokens` instead", kind: .value)
            }
            let hidden = try args.tensor("hidden")
            let sums = try LlamaCalibration.statistics(model.weights, block: block, hidden: hidden, gram: stats.gram)
            return .record(record([sums], firstBlock: block, samples: hidden.shape[0], stats: stats))
        }
        guard !args.isNil("tokens") else {
            throw args.error("tokens", "`calibrate` needs `tokens` (1-D token ids), or `block:` and `hidden:`", kind: .value)
        }
        let tokens = try args.tokens("tokens")
        let (windows, seqlen) = try windowsOf(args, model, tokens)
        var result = Record()
        if stats.norm || stats.gram {
            let sums = try ProgressBar.reporting("calibrate", unit: "windows", context) { progress in
                try LlamaCalibration.statistics(model.weights, tokens: tokens, windows: windows, seqlen: seqlen,
                                                gram: stats.gram, progress: progress)
            }
            result = record(sums, firstBlock: 0, samples: windows, stats: stats)
        }
        if stats.grad {
            let norms = try ProgressBar.reporting("gradients", unit: "windows", context) { progress in
                try LlamaGradientNorms.compute(model.weights, tokens: tokens, windows: windows, seqlen: seqlen,
                                               progress: progress)
            }
            for (name, norm) in norms {
                var fields: Record = if case .record(let r) = result[name] { r } else { Record() }
                fields["grad"] = .tensor(norm)
                result[name] = .record(fields)
            }
        }
        return .record(result)
    }

    /// `embed(model, tokens, samples: 128, seqlen: 256)`: block 0's inputs.
    static let embed = Builtin(
        name: "embed", category: category,
        parameters: [.required("model", .any), .required("tokens", .tensor)] + windowParameters,
        returns: "tensor",
        summary: "the token embeddings of the calibration windows, `[windows, seqlen, dim]`: block 0's inputs",
        doc: "Windows are cut as `calibrate` cuts them. Feed the result to `block_forward` and to "
            + "`calibrate(model, block: b, hidden: h)` to calibrate block by block, as `prune_model` does.",
        example: ModelBuiltins.stories + "s = tokenize(m, load(data(\"tinystories_val.txt\")), bos: false)\n"
            + "h = embed(m, s, samples: 3, seqlen: 16)\nprint(shape(h))\nall(h[0][0] == m.token_embedding[s[0]])",
        output: "[3, 16, 64]\ntrue\n"
    ) { args, _ in
        let model = try args.model("model")
        let tokens = try args.tokens("tokens")
        let (windows, seqlen) = try windowsOf(args, model, tokens)
        return .tensor(try LlamaCalibration.embed(model.weights, tokens: tokens, windows: windows, seqlen: seqlen))
    }

    /// `block_forward(model, b, hidden)`: hidden states after block b.
    static let blockForward = Builtin(
        name: "block_forward", category: category,
        parameters: [.required("model", .any), .required("b", .integer), .required("hidden", .tensor)],
        returns: "tensor",
        summary: "the hidden states leaving block `b` for its inputs `hidden` `[windows, seqlen, dim]`, each window from position 0",
        doc: "Runs the block as the model has it now (so after pruning block b, its outputs feed block b + 1 the "
            + "way the pruned model will).",
        example: ModelBuiltins.stories + "s = tokenize(m, \"Once upon a time\")\nh = embed(m, s, samples: 1, seqlen: 5)\n"
            + "for b in range(5) { h = block_forward(m, b, h) }\nshape(h)",
        output: "[1, 5, 64]\n"
    ) { args, _ in
        let model = try args.model("model")
        return .tensor(try LlamaCalibration.blockForward(model.weights, block: try args.int("b"), hidden: try args.tensor("hidden")))
    }

    /// The statistics asked for in `stats:`.
    private static func statsRequested(_ args: Arguments) throws -> (norm: Bool, gram: Bool, grad: Bool) {
        var norm = false, gram = false, grad = false
        for item in try args.list("stats") {
            guard case .string(let name) = item else {
                throw args.error("stats", "`stats` expects a list of \"norm\", \"gram\", \"grad\", got a \(item.typeName)")
            }
            switch name {
            case "norm": norm = true
            case "gram": gram = true
            case "grad": grad = true
            default:
                let hint = closestName(to: name, among: ["norm", "gram", "grad"]).map { " (did you mean \"\($0)\"?)" } ?? ""
                throw args.error("stats", "unknown statistic \"\(name)\"\(hint); choose from \"norm\", \"gram\", \"grad\"", kind: .value)
            }
        }
        guard norm || gram || grad else {
            throw args.error("stats", "`stats` must ask for at least one of \"norm\", \"gram\", \"grad\"", kind: .value)
        }
        return (norm, gram, grad)
    }

    /// `(windows, seqlen)` for `samples:`/`seqlen:`, warning when fewer windows fit than asked.
    static func windowsOf(_ args: Arguments, _ model: ModelHandle, _ tokens: [Int32]) throws -> (Int, Int) {
        let config = model.weights.config
        let samples = try args.int("samples")
        let seqlen = try args.optionalInt("seqlen") ?? min(256, config.seqLen)
        let windows = try LlamaCalibration.windowCount(tokens: tokens.count, samples: samples, seqlen: seqlen, config: config)
        if windows < samples {
            let fit = windows == 1 ? "1 window of \(seqlen) tokens fits" : "\(windows) windows of \(seqlen) tokens fit"
            FileHandle.standardError.write(Data("warning: only \(fit) in \(tokens.count) tokens (asked for \(samples) samples)\n".utf8))
        }
        return (windows, seqlen)
    }

    /// The result record: `"layers.{i}.{name}"` → one field per statistic.
    private static func record(_ sums: [[InputStatistics]], firstBlock: Int, samples: Int, stats: (norm: Bool, gram: Bool, grad: Bool)) -> Record {
        var out = Record()
        for (offset, block) in sums.enumerated() {
            var byInput: [Value] = []
            for s in block {
                var fields = Record()
                if stats.norm {
                    fields["act_norm"] = .tensor(Tensor(shape: [s.width], f32: s.sumSquares.map { Float(($0 / Double(samples)).squareRoot()) }))
                }
                if stats.gram, let g = s.gram {
                    fields["gram"] = .tensor(Tensor(shape: [s.width, s.width], f32: g.map { Float($0) }))
                }
                byInput.append(.record(fields))
            }
            for name in ["wq", "wk", "wv", "wo", "w1", "w2", "w3"] {
                guard let input = LinearInput.of(name) else { continue }
                out["layers.\(firstBlock + offset).\(name)"] = byInput[input.rawValue]
            }
        }
        return out
    }
}
