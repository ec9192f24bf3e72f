import Foundation
import Models
import PrunebookLanguage
import TensorModule

/// `train`: AdamW on a LLaMA-family model over random windows of a token stream, with masks
/// kept exactly zero (engine: `Models.LlamaTraining`).
enum TrainingBuiltins {
    static let all: [Builtin] = [train]

    static let category = "Models"

    /// `train(model, tokens, steps, lr: 1e-3, batch: 8, seqlen: nil, seed: nil, weight_decay: 0.1, masks: nil, ...)`.
    static let train = Builtin(
        name: "train", category: category,
        parameters: [.required("model", .any), .required("tokens", .tensor), .required("steps", .integer),
                     .optional("lr", .number, .number(1e-3)), .optional("batch", .integer, .number(8)),
                     .optional("seqlen", .optional(.integer), .nilValue), .optional("seed", .optional(.integer), .nilValue),
                     .optional("weight_decay", .number, .number(0.1)), .optional("masks", .optional(.record), .nilValue),
                     .optional("schedule", .choice(["cosine", "linear", "constant"]), .string("cosine")),
                     .optional("warmup", .integer, .number(0)), .optional("min_lr", .optional(.number), .nilValue),
                     .optional("clip", .optional(.number), .number(1))],
        returns: "record",
        summary: "train the model with AdamW on random windows of `tokens`: `{model, losses}`, masked weights kept exactly zero",
        doc: "Each of `steps` steps draws `batch` windows of `seqlen` + 1 tokens at uniformly random offsets (from "
            + "`seed`'s fresh stream, or the run's stream without `seed`), runs the batched forward and backward "
            + "(each window from position 0; the loss is the mean next-token cross-entropy in nats), clips the "
            + "global gradient norm at `clip` (nil: no clipping) and takes an AdamW step (β 0.9/0.95, ε 1e-8, as "
            + "llama2.c's train.py; `weight_decay` on the matrices only, not the RMSNorm gains). The learning rate "
            + "warms up linearly over `warmup` steps to `lr`, then follows `schedule` down to `min_lr` (default "
            + "`lr / 10`) at the last step. `seqlen` defaults to the model's seq_len, at most 256. `masks` "
            + "(`\"layers.{i}.{name}\"` → bool or 0/1 tensor; default `model.masks`) zero those weights before the "
            + "first step and after every step; the returned model carries them as its `masks`. `losses` lists each "
            + "step's batch loss before its update, ready for `line`. A progress bar shows on a terminal's stderr; "
            + "Ctrl-C stops after the step in progress and returns the model of the last finished step (with a "
            + "warning), and the cell then stops as interrupted.",
        example: "t = train_tokenizer(story_corpus(300), 400)\n"
            + "m = init_model({dim: 32, hidden_dim: 64, n_layers: 2, n_heads: 4, seq_len: 32}, seed: 1, tokenizer: t)\n"
            + "s = tokenize(t, story_corpus(300, seed: 2), bos: false)\n"
            + "r = train(m, s, 40, lr: 3e-3, batch: 8, seqlen: 32, seed: 0)\n"
            + "print(len(r.losses), format(r.losses[0], \".1f\"), format(log(400), \".1f\"))\n"
            + "mean(r.losses[-5:]) < r.losses[0] - 1",
        output: "40 6.0 6.0\ntrue\n"
    ) { args, context in
        let model = try args.model("model")
        let tokens = try args.tokens("tokens")
        let options = try trainingOptions(args, model.weights.config)
        let maskRecord = try args.isNil("masks") ? model.masks : args.record("masks")
        let masks = try keepMasks(maskRecord, args)
        let run = try ProgressBar.steps("train", steps: options.steps, context, returning: "the model of the last finished step",
                                        completed: { $0.losses.count }) { step in
            try CreationBuiltins.withStream(args, context) { stream in
                try LlamaTraining.train(model.weights, stream: tokens, options: options, masks: masks, random: &stream) {
                    step($0, $1)
                }
            }
        }
        let trained = ModelHandle(weights: run.weights, tokenizer: model.tokenizer, masks: maskRecord)
        return .record(Record([("model", .handle(trained)), ("losses", .list(run.losses.map { .number($0) }))]))
    }

    /// The engine's options from the arguments, checked.
    private static func trainingOptions(_ args: Arguments, _ config: LlamaConfig) throws -> TrainingOptions {
        let steps = try args.int("steps"), batch = try args.int("batch"), warmup = try args.int("warmup")
        let lr = try args.number("lr"), decay = try args.number("weight_decay")
        guard steps >= 0 else { throw args.error("steps", "`steps` must be ≥ 0, got \(steps)", kind: .value) }
        guard batch >= 1 else { throw args.error("batch", "`batch` must be ≥ 1, got \(batch)", kind: .value) }
        guard lr > 0, lr.isFinite else { throw args.error("lr", "`lr` must be a positive number, got \(formatNumber(lr))", kind: .value) }
        guard decay >= 0, decay.isFinite else {
            throw args.error("weight_decay", "`weight_decay` must be ≥ 0, got \(formatNumber(decay))", kind: .value)
        }
        guard warmup >= 0 else { throw args.error("warmup", "`warmup` must be ≥ 0, got \(warmup)", kind: .value) }
        let minLR = try args.optionalNumber("min_lr") ?? lr / 10
        guard minLR >= 0, minLR.isFinite else {
            throw args.error("min_lr", "`min_lr` must be ≥ 0, got \(formatNumber(minLR))", kind: .value)
        }
        let clip = try args.optionalNumber("clip")
        if let clip, !(clip > 0 && clip.isFinite) {
            throw args.error("clip", "`clip` must be a positive number or nil, got \(formatNumber(clip))", kind: .value)
        }
        let seqlen = try args.optionalInt("seqlen") ?? min(256, config.seqLen)
        guard seqlen >= 1, seqlen <= config.seqLen else {
            throw args.error("seqlen", "`seqlen` must be in 1...\(config.seqLen) (the model's seq_len), got \(seqlen)", kind: .value)
        }
        let decayShape = LearningRateSchedule.Decay(rawValue: try args.string("schedule")) ?? .cosine
        let schedule = LearningRateSchedule(peak: lr, final: minLR, total: steps, warmup: warmup, decay: decayShape)
        return TrainingOptions(steps: steps, batch: batch, seqLen: seqlen, schedule: schedule, weightDecay: decay, clip: clip)
    }

    /// The keep-masks by tensor name (every value must be a tensor).
    private static func keepMasks(_ record: Record, _ args: Arguments) throws -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (name, value) in record.fields {
            guard case .tensor(let t) = value else {
                throw args.error("masks", "the mask `\(name)` must be a tensor, got \(value.typeName)")
            }
            out[name] = t
        }
        return out
    }
}
