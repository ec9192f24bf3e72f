import Foundation
import TensorModule

/// MaskLLM (algorithms.md §6): learns n:m masks with the weights frozen. Each group of m
/// consecutive inputs of a row holds a categorical distribution over its C(m, n) patterns,
/// sampled differentiably with Gumbel-softmax and trained end to end; the final mask takes
/// each group's most likely pattern.
///
/// Paper: Fang et al., "MaskLLM: Learnable Semi-Structured Sparsity for Large Language
/// Models", arXiv 2409.17481.
///
/// The engine knows nothing of models: it hands the soft-masked weights `W ⊙ m` of every layer
/// to a loss closure and gets back the loss and its gradients with respect to those masked
/// weights; it adds the regulariser `−λ_t Σ_l s_l‖W_l ⊙ m_l‖²`, back-propagates to the gates
/// and takes an Adam step on them.
public enum MaskLLM {
    /// The settings of a run; the defaults are the spec's.
    public struct Options: Sendable {
        /// Kept per group (`n`) and the group size (`m`).
        public var n: Int, m: Int
        /// Adam steps.
        public var steps: Int
        /// The peak learning rate (cosine down to `0.1·lr`).
        public var lr: Double
        /// The temperature, linear from `tau.start` to `tau.end` over the steps.
        public var tau: (start: Double, end: Double)
        /// The logit scale of the gates, linear from `kappa.start` to `kappa.end`.
        public var kappa: (start: Double, end: Double)
        /// The regulariser's weight λ (it decays linearly to 0).
        public var lambda: Double
        /// The global gradient-norm limit on the gates' gradients (nil: none).
        public var clip: Double?

        /// Options for `nm: [n, m]` with the spec's defaults.
        public init(n: Int = 2, m: Int = 4, steps: Int = 200, lr: Double = 5e-3, tau: (start: Double, end: Double) = (4, 0.05),
                    kappa: (start: Double, end: Double) = (100, 500), lambda: Double, clip: Double? = nil) {
            self.n = n
            self.m = m
            self.steps = steps
            self.lr = lr
            self.tau = tau
            self.kappa = kappa
            self.lambda = lambda
            self.clip = clip
        }

        /// Checks the options (the message starts with the option's name).
        public func check() throws(PruningError) {
            guard n > 0, m > 0, n <= m else {
                throw PruningError("nm: [\(n), \(m)] keeps n of every m and needs 0 < n ≤ m, got n = \(n), m = \(m)")
            }
            guard m <= 16 else { throw PruningError("nm: m must be at most 16 (C(m, n) patterns per group), got \(m)") }
            guard steps >= 0 else { throw PruningError("steps must be ≥ 0, got \(steps)") }
            guard lr > 0, lr.isFinite else { throw PruningError("lr must be a positive number, got \(formatValue(lr))") }
            for (name, pair) in [("tau", tau), ("kappa", kappa)] {
                guard pair.start > 0, pair.end > 0, pair.start.isFinite, pair.end.isFinite else {
                    throw PruningError("\(name) must be [start, end] with both positive, got [\(formatValue(pair.start)), \(formatValue(pair.end))]")
                }
            }
            guard lambda >= 0, lambda.isFinite else { throw PruningError("lambda must be ≥ 0, got \(formatValue(lambda))") }
        }
    }

    /// What a run gives back: one bool keep-mask per layer and one loss per finished step.
    public struct Result: Sendable {
        /// The final hard masks (each group's largest gate), shaped like the weights.
        public var masks: [Tensor]
        /// Each step's objective (the closure's loss minus the regulariser), before its update.
        public var losses: [Double]
    }

    /// The closure a run trains against: soft-masked weights per layer → the loss and its
    /// gradients with respect to those masked weights (f32, shaped like them).
    public typealias Loss = ([Tensor]) throws -> (loss: Double, gradients: [Tensor])

    /// Learns masks for `weights` (2-d f32 `[out, in]`, `in` a multiple of m). `priors` holds
    /// one optional one-shot keep-mask per layer to start from; `regularizerScales` the
    /// per-layer factor s_l of the regulariser. `progress(step, loss)` runs after each step and
    /// returns false to stop early (the masks then come from the gates reached so far).
    public static func learn(weights: [Tensor], priors: [Tensor?], regularizerScales: [Double], options: Options,
                             random rng: inout RandomStream, loss: Loss,
                             progress: (Int, Double) throws -> Bool = { _, _ in true }) throws -> Result {
        try options.check()
        precondition(priors.count == weights.count && regularizerScales.count == weights.count, "one prior and scale per layer")
        let patterns = Candidates(n: options.n, m: options.m)
        var layers: [GatedLayer] = []
        for (w, prior) in zip(weights, priors) {
            var layer = try GatedLayer(weight: w, patterns: patterns, rng: &rng)
            if let prior { try layer.applyPrior(prior) }
            layers.append(layer)
        }
        var adam = try AdamW(shapes: layers.map { [$0.gates.count] }, beta1: 0.9, beta2: 0.95, epsilon: 1e-8)
        let schedule = LearningRateSchedule(peak: options.lr, final: 0.1 * options.lr, total: options.steps, decay: .cosine)
        var losses: [Double] = []
        for step in 0..<options.steps {
            let f = Double(step) / Double(options.steps)
            let temperature = options.tau.start + (options.tau.end - options.tau.start) * f
            let scale = options.kappa.start + (options.kappa.end - options.kappa.start) * f
            let lambda = options.lambda * (1 - f)
            let samples = layers.map { $0.sample(noise: gumbelNoise($0.gates.count, &rng), kappa: scale, tau: temperature) }
            let (value, gradients) = try loss(samples.map(\.masked))
            precondition(gradients.count == layers.count, "the loss closure must return one gradient per layer")
            var objective = value
            var gateGradients: [Tensor] = []
            for (l, layer) in layers.enumerated() {
                let (penalty, g) = layer.gateGradient(samples[l], weightGradient: gradients[l].floats(),
                                                      lambda: lambda * regularizerScales[l], kappa: scale, tau: temperature)
                objective -= penalty
                gateGradients.append(Tensor(shape: [g.count], f32: g))
            }
            if let clip = options.clip { clipGradientNorm(&gateGradients, maxNorm: clip) }
            var gates = layers.map { Tensor(shape: [$0.gates.count], f32: $0.gates) }
            try adam.step(&gates, gradients: gateGradients, learningRate: Float(schedule.rate(at: step)))
            for l in layers.indices { layers[l].gates = gates[l].floats() }
            losses.append(objective)
            if try !progress(step + 1, objective) { break }
        }
        return Result(masks: layers.map { $0.hardMask() }, losses: losses)
    }

    /// `count` Gumbel(0, 1) draws `−log(−log(u + 1e-20) + 1e-20)`, u uniform in [0, 1).
    static func gumbelNoise(_ count: Int, _ rng: inout RandomStream) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count {
                let u = rng.nextDouble()
                buffer[i] = Float(-Foundation.log(-Foundation.log(u + 1e-20) + 1e-20))
            }
            initialized = count
        }
    }
}
