import Foundation

/// How the learning rate moves over a run of `steps` steps: a linear warm-up from 0 over the
/// first `warmup` steps, then constant, a cosine or a linear decay from the peak to
/// `peak · finalRatio` at the last step (nanoGPT's and llama2.c's `train.py` shape).
public struct LearningRateSchedule: Sendable, Equatable {
    /// The shape after warm-up.
    public enum Decay: String, Sendable, CaseIterable {
        case constant, cosine, linear
    }

    /// The peak learning rate.
    public var peak: Double
    /// The decay after warm-up.
    public var decay: Decay
    /// Warm-up steps (0 for none).
    public var warmup: Int
    /// The final learning rate as a fraction of the peak.
    public var finalRatio: Double
    /// The number of steps the schedule spans.
    public var steps: Int

    /// A schedule; `finalRatio` 0.1 follows llama2.c's `min_lr = learning_rate / 10`.
    public init(peak: Double, decay: Decay = .cosine, warmup: Int = 0, finalRatio: Double = 0.1, steps: Int) {
        self.peak = peak
        self.decay = decay
        self.warmup = warmup
        self.finalRatio = finalRatio
        self.steps = steps
    }

    /// The learning rate of step `t` (0-based): `peak · (t+1)/warmup` while warming up, then
    /// the decay evaluated at progress `(t − warmup)/(steps − warmup − 1)` ∈ [0, 1].
    public func rate(at t: Int) -> Double {
        if t < warmup { return peak * Double(t + 1) / Double(warmup) }
        let span = steps - warmup - 1
        let progress = span > 0 ? min(1, Double(t - warmup) / Double(span)) : 0
        let low = peak * finalRatio
        switch decay {
        case .constant: return peak
        case .linear: return peak + (low - peak) * progress
        case .cosine: return low + (peak - low) * 0.5 * (1 + cos(Double.pi * progress))
        }
    }
}
