import Foundation
import Models
import PrunebookLanguage
import Pruning
import TensorModule

/// `maskllm`: MaskLLM (arXiv 2409.17481), learnable n:m masks with the weights frozen
/// (algorithms.md §6; engine: `Pruning.MaskLLM`). Model mode learns every block linear's mask
/// on the LM loss through `MaskLLMModelLoss`; per-layer mode one matrix's mask on its
/// reconstruction loss.
enum MaskLLMBuiltins {
    static let all: [Builtin] = [maskllm]

    /// `maskllm(model, tokens | w, gram, nm: [2, 4], steps: 200, lr: 5e-3, tau: [4, 0.05], kappa: [100, 500], prior: "sparsegpt", seed:, batch: 8, lambda:, samples:, seqlen:)`.
    static let maskllm = Builtin(
        name: "maskllm", category: PruningBuiltins.category,
        parameters: [.required("w", .any), .required("gram", .any),
                     .optional("nm", .list, .list([.number(2), .number(4)])),
                     .optional("steps", .integer, .number(200)), .optional("lr", .number, .number(5e-3)),
                     .optional("tau", .list, .list([.number(4), .number(0.05)])),
                     .optional("kappa", .list, .list([.number(100), .number(500)])),
                     .optional("prior", .optional(.choice(MaskLLM.Prior.allCases.map(\.rawValue))), .string("sparsegpt")),
                     .optional("seed", .optional(.integer), .nilValue), .optional("batch", .integer, .number(8)),
                     .optional("lambda", .optional(.number), .nilValue)] + CalibrationBuiltins.windowParameters,
        returns: "record",
        summary: "MaskLLM: learn n:m masks by Gumbel-softmax with the weights frozen: `{model, masks, losses}` or `{weights, mask, losses}`",
        doc: "Fang et al., arXiv 2409.17481. Each group of m inputs of a row holds gates over its C(m, n) patterns "
            + "(lexicographic by kept positions), drawn N(0, 0.01²) from `seed` (the run's stream without it) and shifted "
            + "towards the one-shot `prior` mask (\"sparsegpt\": SparseGPT's no-update selection; \"magnitude\"; nil: none) "
            + "by `(overlap − 1)·3·std`. Step t of `steps` (f = t/steps) samples fresh Gumbel noise g and trains with the soft "
            + "mask `softmax((κ·gate + g)/τ)·candidates`, τ and κ linear over `tau` and `kappa`, by Adam on the gates (β 0.9/0.95, "
            + "ε 1e-8, cosine from `lr` to 0.1·lr). The final mask keeps each group's pattern of largest gate. "
            + "Model mode `maskllm(model, tokens, ...)`: the loss is the mean next-token cross-entropy of `batch` calibration "
            + "windows (cut like `calibrate`'s from `samples`/`seqlen`, each with one more token for its targets, taken in turn "
            + "and cycling) minus `λ(1−f)·Σ‖W ⊙ m‖²` (`lambda` 1e-5), the gates' gradient norm clipped at 1; every block linear "
            + "`wq … w3` is learnt, the sparsegpt prior from one calibration of the model's Grams on the same windows. Returns "
            + "the model with the hard masks applied (as `apply_masks`), `masks` by `\"layers.{i}.{name}\"` and `losses`. "
            + "Per-layer mode `maskllm(w, gram, ...)` (`gram` = XᵀX `[in, in]`): the loss is "
            + "`tr(D G Dᵀ)/tr(W G Wᵀ) − λ(1−f)‖W ⊙ m‖²/‖W‖²`, D = W ⊙ (1 − m), `lambda` 0.1; `batch`, `samples` and `seqlen` "
            + "are unused. Returns `{weights, mask, losses}`. `losses` holds each step's objective before its update. "
            + "Model mode shows a progress bar on a terminal's stderr; Ctrl-C stops after the step in progress and returns "
            + "the masks reached (with a warning).",
        example: "w = randn([4, 8], seed: 1)\nx = randn([32, 8], seed: 2)\ng = transpose(x) @ x\n"
            + "r = maskllm(w, g, steps: 50, seed: 0)\nprint(r.mask)\n"
            + "print(len(r.losses), recon_error(w, r.weights, g) <= recon_error(w, magnitude(w, nm: [2, 4]).weights, g))",
        output: "tensor([[ true, false,  true, false,  true,  true, false, false],\n"
            + "        [false, false,  true,  true, false,  true,  true, false],\n"
            + "        [ true, false, false,  true,  true, false, false,  true],\n"
            + "        [false,  true, false,  true,  true, false, false,  true]], bool)\n50 true\n"
    ) { args, context in
        let options = try engineOptions(args)
        let prior = try args.isNil("prior") ? nil : MaskLLM.Prior(rawValue: args.string("prior"))
        if case .handle(let handle) = args["w"], let model = handle as? ModelHandle {
            return try modelMode(args, context, model, options: options, prior: prior)
        }
        let w = try args.tensor("w"), gram = try args.tensor("gram")
        var layerOptions = options
        layerOptions.lambda = try args.optionalNumber("lambda") ?? 0.1
        layerOptions.clip = nil
        let result = try CreationBuiltins.withStream(args, context) { rng in
            try PruningBuiltins.engine(args) {
                try MaskLLM.learnLayer(weight: w, gram: gram, prior: prior, options: layerOptions, random: &rng)
            }
        }
        return .record(Record([("weights", .tensor(result.weights)), ("mask", .tensor(result.mask)),
                               ("losses", .list(result.losses.map { .number($0) }))]))
    }

    /// The options shared by both modes (model mode's λ and clipping), each checked where the
    /// engine's message names it.
    private static func engineOptions(_ args: Arguments) throws -> MaskLLM.Options {
        guard !args.isNil("nm") else {
            throw args.error("nm", "`nm` expects a list [n, m] of two integers (n kept of every m), got nil")
        }
        let nm = try PruningBuiltins.nmPair(args, "nm")
        let options = MaskLLM.Options(n: nm.n, m: nm.m, steps: try args.int("steps"), lr: try args.number("lr"),
                                      tau: try pair(args, "tau"), kappa: try pair(args, "kappa"),
                                      lambda: try args.optionalNumber("lambda") ?? 1e-5, clip: 1)
        try PruningBuiltins.engine(args) { try options.check() }
        return options
    }

    /// A `[start, end]` option of two numbers.
    private static func pair(_ args: Arguments, _ name: String) throws -> (start: Double, end: Double) {
        let items = try args.list(name)
        let numbers = items.compactMap { item -> Double? in
            if case .number(let x) = item { return x }
            return nil
        }
        guard items.count == 2, numbers.count == 2 else {
            throw args.error(name, "`\(name)` expects a list [start, end] of two numbers, got \(Value.list(items).displayText)")
        }
        return (numbers[0], numbers[1])
    }

    /// Model mode: every block linear's mask learnt on the LM loss of the calibration windows.
    private static func modelMode(_ args: Arguments, _ context: RunContext, _ model: ModelHandle,
                                  options: MaskLLM.Options, prior: MaskLLM.Prior?) throws -> Value {
        let tokens = try args.tokens("gram")
        let batch = try args.int("batch")
        guard batch >= 1 else { throw args.error("batch", "`batch` must be ≥ 1, got \(batch)", kind: .value) }
        // Every window needs one token more for its targets.
        let (windows, seqlen) = try CalibrationBuiltins.windowsOf(args, model, Array(tokens.dropLast()))
        let linears = model.blockLinears
        for (name, weight) in linears {
            do {
                try PruningTarget.nm(n: options.n, m: options.m).check(shape: weight.shape)
            } catch let error as PruningError {
                throw args.error("nm", "\(name): \(error.message)", kind: .shape)
            }
        }
        let objective = MaskLLMModelLoss(weights: model.weights, names: linears.map(\.name), tokens: tokens,
                                         windows: windows, seqlen: seqlen, batch: batch)
        let priors = try priorMasks(args, context, objective, linears, prior, options)
        var step = 0
        let result = try ProgressBar.steps("maskllm", steps: options.steps, context, returning: "the masks reached so far",
                                           completed: { $0.losses.count }) { report in
            try CreationBuiltins.withStream(args, context) { rng in
                try PruningBuiltins.engine(args) {
                    try MaskLLM.learn(weights: linears.map(\.weight), priors: priors,
                                      regularizerScales: Array(repeating: 1, count: linears.count), options: options,
                                      random: &rng, loss: { masked in
                                          defer { step += 1 }
                                          return try objective.loss(step: step, masked: masked)
                                      }, progress: report)
                }
            }
        }
        let masks = Array(zip(linears.map(\.name), result.masks))
        let masked = try model.applyingMasks(masks)
        return .record(Record([("model", .handle(masked)),
                               ("masks", .record(Record(masks.map { ($0.0, .tensor($0.1)) }))),
                               ("losses", .list(result.losses.map { .number($0) }))]))
    }

    /// The one-shot prior mask of every block linear (nil entries without a prior).
    private static func priorMasks(_ args: Arguments, _ context: RunContext, _ objective: MaskLLMModelLoss,
                                   _ linears: [(name: String, weight: Tensor)], _ prior: MaskLLM.Prior?,
                                   _ options: MaskLLM.Options) throws -> [Tensor?] {
        guard let prior else { return Array(repeating: nil, count: linears.count) }
        let grams = prior == .sparsegpt
            ? try ProgressBar.reporting("calibrate", unit: "windows", context) { try objective.grams(progress: $0) }
            : [:]
        return try linears.map { name, weight in
            try PruningBuiltins.engine(args) {
                try MaskLLM.priorMask(prior, weight: weight, gram: grams[name], n: options.n, m: options.m)
            }
        }
    }
}
