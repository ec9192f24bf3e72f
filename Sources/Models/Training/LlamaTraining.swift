import TensorModule

/// The settings of one training run (`train`): how many steps, the batch of random windows
/// each step sees, the learning-rate schedule and AdamW's constants.
public struct TrainingOptions: Sendable {
    /// Optimizer steps.
    public var steps: Int
    /// Windows per step.
    public var batch: Int
    /// Tokens per window.
    public var seqLen: Int
    /// The learning rate per step.
    public var schedule: LearningRateSchedule
    /// AdamW's decoupled weight decay, applied to matrices only (not the RMSNorm gains).
    public var weightDecay: Double
    /// AdamW's moment decays.
    public var beta1: Double, beta2: Double
    /// The global gradient-norm limit (nil: no clipping).
    public var clip: Double?

    /// Options with llama2.c `train.py`'s optimizer constants (β 0.9/0.95, clip 1).
    public init(steps: Int, batch: Int, seqLen: Int, schedule: LearningRateSchedule,
                weightDecay: Double = 0.1, beta1: Double = 0.9, beta2: Double = 0.95, clip: Double? = 1) {
        self.steps = steps
        self.batch = batch
        self.seqLen = seqLen
        self.schedule = schedule
        self.weightDecay = weightDecay
        self.beta1 = beta1
        self.beta2 = beta2
        self.clip = clip
    }
}

/// What a training run gives back: the weights after the last finished step and each
/// step's mean batch loss (nats per token, before that step's update).
public struct TrainingRun: Sendable {
    /// The trained weights.
    public var weights: LlamaWeights
    /// One loss per finished step.
    public var losses: [Double]
}

/// Training a LLaMA-family model on a token stream: each step draws `batch` windows of
/// `seqLen + 1` tokens at uniformly random offsets (from the given random stream), runs the batched forward and
/// backward on a tape (`LlamaGraph`), clips the global gradient norm and takes an AdamW step.
/// Masked weights (keep-masks by tensor name, `layers.{i}.{name}`) are zero before the first
/// step and stay exactly zero.
public enum LlamaTraining {
    /// Trains `weights` on `stream`, drawing window offsets from `random`. `progress(step,
    /// loss)` runs after each finished step and returns false to stop early (the run keeps the
    /// steps finished so far).
    public static func train(_ weights: LlamaWeights, stream: [Int32], options: TrainingOptions,
                             masks: [String: Tensor] = [:], random rng: inout RandomStream,
                             progress: (Int, Double) throws -> Bool = { _, _ in true }) throws -> TrainingRun {
        let o = options, c = weights.config
        guard o.steps >= 0, o.batch >= 1 else {
            throw ModelError("train: expected steps ≥ 0 and batch ≥ 1, got steps \(o.steps), batch \(o.batch)")
        }
        guard o.seqLen >= 1, o.seqLen <= c.seqLen else {
            throw ModelError("train: seqlen must be in 1...\(c.seqLen) (the model's seq_len), got \(o.seqLen)")
        }
        guard stream.count > o.seqLen else {
            throw ModelError("train: tokens must hold more than seqlen = \(o.seqLen) tokens, got \(stream.count)")
        }
        if let bad = stream.first(where: { $0 < 0 || Int($0) >= c.vocabSize }) {
            throw ModelError("train: token \(bad) is outside the vocabulary 0..<\(c.vocabSize)")
        }
        // Model-file order, which `LlamaModelFile.tensors` and `replacingTensors` share.
        let names = LlamaParameters.expectedShapes(c)
        if let unknown = masks.keys.sorted().first(where: { key in !names.contains { $0.name == key } }) {
            throw ModelError("train: masks name `\(unknown)`, which is not a tensor of this model")
        }
        var current = LlamaModelFile.tensors(weights).map(\.tensor)
        for (i, entry) in names.enumerated() {
            guard let mask = masks[entry.name] else { continue }
            guard mask.shape == entry.shape else {
                throw ModelError("train: the mask of `\(entry.name)` has shape \(mask.shape), the weight \(entry.shape)",
                                 kind: .shape)
            }
            current[i] = zeroed(current[i], where: mask)
        }
        // Matrices decay, the RMSNorm gains do not: two optimizers over the two groups.
        let matrices = names.indices.filter { names[$0].shape.count == 2 }
        let gains = names.indices.filter { names[$0].shape.count != 2 }
        func optimizer(_ group: [Int], decay: Double) throws -> AdamW {
            try AdamW(shapes: group.map { names[$0].shape }, beta1: Float(o.beta1), beta2: Float(o.beta2),
                      weightDecay: Float(decay), masks: group.map { masks[names[$0].name] })
        }
        var decayed = try optimizer(matrices, decay: o.weightDecay)
        var plain = try optimizer(gains, decay: 0)
        var losses: [Double] = []
        for step in 0..<o.steps {
            let (inputs, targets) = batch(stream, options: o, rng: &rng)
            let tape = Tape()
            let parameters = LlamaParameters(leavesOf: LlamaModelFile.replacingTensors(of: weights, with: current), on: tape)
            let loss = try LlamaGraph.loss(parameters, inputs: inputs, targets: targets)
            let byName = try parameters.gradientsByName(of: loss)
            var gradients = names.map { byName[$0.name] ?? Tensor.zeros($0.shape) }
            if let clip = o.clip { _ = clipGradientNorm(&gradients, maxNorm: clip) }
            let rate = Float(o.schedule.rate(at: step))
            try update(&decayed, &current, gradients, matrices, rate)
            try update(&plain, &current, gradients, gains, rate)
            losses.append(tape.value(loss).element(at: 0))
            if try !progress(step + 1, losses[step]) { break }
        }
        return TrainingRun(weights: LlamaModelFile.replacingTensors(of: weights, with: current), losses: losses)
    }

    /// `weight` with exactly zero where `mask` is false (or 0), unchanged elsewhere.
    static func zeroed(_ weight: Tensor, where mask: Tensor) -> Tensor {
        let keep = Tensor(shape: mask.shape, bool: keptEntries(mask))
        do {
            return try weight.applyingMask(keep)
        } catch {
            preconditionFailure("train: the mask's shape was checked against the weight: \(error)")
        }
    }

    /// One AdamW step on the parameters at `group` (positions in name order).
    private static func update(_ optimizer: inout AdamW, _ all: inout [Tensor], _ gradients: [Tensor], _ group: [Int],
                               _ rate: Float) throws {
        var parameters = group.map { all[$0] }
        try optimizer.step(&parameters, gradients: group.map { gradients[$0] }, learningRate: rate)
        for (k, i) in group.enumerated() { all[i] = parameters[k] }
    }

    /// `batch` windows at random offsets: inputs `[batch, seqLen]` and the next tokens.
    static func batch(_ stream: [Int32], options o: TrainingOptions, rng: inout RandomStream) -> (Tensor, Tensor) {
        let starts = (0..<o.batch).map { _ in Int(rng.nextInt(below: UInt64(stream.count - o.seqLen))) }
        return batch(stream, starts: starts, seqLen: o.seqLen)
    }

    /// The windows of `seqLen` tokens starting at `starts`: inputs `[starts.count, seqLen]` and
    /// targets one token later. Every window needs `seqLen + 1` tokens of `stream`.
    public static func batch(_ stream: [Int32], starts: [Int], seqLen: Int) -> (inputs: Tensor, targets: Tensor) {
        var inputs: [Int32] = [], targets: [Int32] = []
        inputs.reserveCapacity(starts.count * seqLen)
        targets.reserveCapacity(starts.count * seqLen)
        for start in starts {
            precondition(start >= 0 && start + seqLen < stream.count, "batch: window at \(start) runs past the stream")
            inputs += stream[start..<(start + seqLen)]
            targets += stream[(start + 1)...(start + seqLen)]
        }
        let shape = [starts.count, seqLen]
        return (Tensor(shape: shape, i32: inputs), Tensor(shape: shape, i32: targets))
    }
}
