import Foundation

/// A learning rate per step: an optional linear warmup to `peak`, then a constant, linear or
/// cosine decay to `final` over the remaining steps.
///
/// For step `s` of `total`: during warmup (`s < warmup`) the rate is `peak · (s + 1) / warmup`;
/// after it, with `f = (s − warmup) / (total − warmup)` (clamped to [0, 1]), linear gives
/// `peak + (final − peak)·f` and cosine `final + (peak − final)·(1 + cos πf)/2`. So with no
/// warmup step 0 runs at `peak`, and MaskLLM's "cosine from lr to 0.1·lr" is
/// `.cosine` with `final = 0.1 · lr`.
public struct LearningRateSchedule: Sendable, Equatable {
    /// The shape of the decay after warmup.
    public enum Decay: String, Sendable, CaseIterable {
        case constant, linear, cosine
    }

    /// The rate at the end of warmup.
    public var peak: Double
    /// The rate the decay ends at (unused by `.constant`).
    public var final: Double
    /// The number of steps.
    public var total: Int
    /// Warmup steps (0 for none).
    public var warmup: Int
    /// The decay after warmup.
    public var decay: Decay

    /// A schedule over `total` steps.
    public init(peak: Double, final: Double = 0, total: Int, warmup: Int = 0, decay: Decay = .cosine) {
        self.peak = peak
        self.final = final
        self.total = total
        self.warmup = warmup
        self.decay = decay
    }

    /// The rate of step `s` (0-based).
    public func rate(at s: Int) -> Double {
        if s < warmup { return peak * Double(s + 1) / Double(warmup) }
        let f = min(max(Double(s - warmup) / Double(max(total - warmup, 1)), 0), 1)
        switch decay {
        case .constant: return peak
        case .linear: return peak + (final - peak) * f
        case .cosine: return final + (peak - final) * (1 + Foundation.cos(Double.pi * f)) / 2
        }
    }
}
