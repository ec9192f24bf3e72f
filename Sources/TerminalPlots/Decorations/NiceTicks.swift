import Foundation

/// Axis tick positions on "nice" numbers: steps of 1, 2 or 5 times a power of ten.
enum NiceTicks {
    /// The nice step that cuts `span` into at most about `maxCount` intervals.
    static func step(span: Double, maxCount: Int) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(1, maxCount))
        let magnitude = pow(10, floor(log10(raw)))
        let ratio = raw / magnitude
        let multiple: Double = ratio <= 1 ? 1 : ratio <= 2 ? 2 : ratio <= 5 ? 5 : 10
        return multiple * magnitude
    }

    /// The multiples of `step` inside `lo...hi` (with a little tolerance), ascending.
    static func values(lo: Double, hi: Double, step: Double) -> [Double] {
        guard step > 0, step.isFinite, hi >= lo else { return [] }
        let first = (lo / step - 1e-9).rounded(.up)
        let last = (hi / step + 1e-9).rounded(.down)
        guard last >= first, last - first <= 1000 else { return [] }
        // Count by integers: for huge k, `k += 1` on a Double would not advance.
        let base = first * step
        var result: [Double] = []
        for i in 0...Int(last - first) {
            // k * step keeps 0 exactly 0 while k is exact; past 2^50 offset from the base.
            let v = abs(first) < 1e15 ? (first + Double(i)) * step : base + Double(i) * step
            if result.last.map({ v > $0 }) ?? true { result.append(v == 0 ? 0 : v) }
        }
        return result
    }

    /// `lo...hi` widened outward to multiples of a nice step (at least `minStep`), with that step.
    static func expanded(lo: Double, hi: Double, maxCount: Int, minStep: Double = 0) -> (lo: Double, hi: Double, step: Double) {
        let s = max(step(span: hi - lo, maxCount: maxCount), minStep)
        let newLo = (lo / s + 1e-9).rounded(.down) * s
        let newHi = (hi / s - 1e-9).rounded(.up) * s
        guard newLo.isFinite, newHi.isFinite, newHi > newLo else { return (lo, hi, s) }
        return (newLo, newHi, s)
    }

    /// The range to plot for data spanning `min...max`: itself, or for all-equal values
    /// ±0.5 around 0 and ±|v|/2 around any other v. Throws when the span overflows.
    static func dataRange(min lo: Double, max hi: Double) throws -> (lo: Double, hi: Double) {
        if hi > lo {
            guard (hi - lo).isFinite else { throw ChartError("values span too large a range to plot (\(lo) to \(hi))") }
            return (lo, hi)
        }
        let half = lo == 0 ? 0.5 : abs(lo) / 2
        return (lo - half, lo + half)
    }
}
