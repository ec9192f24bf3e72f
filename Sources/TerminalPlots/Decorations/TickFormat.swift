import Foundation

/// Tick labels without locale: fixed decimals that suit the step, or `%g` style for huge or
/// tiny magnitudes, with just enough precision that distinct ticks get distinct labels.
enum TickFormat {
    /// Labels for `values`, which are spaced by about `step`.
    static func labels(_ values: [Double], step: Double) -> [String] {
        let maxAbs = values.map { abs($0) }.max() ?? 0
        if maxAbs >= 1e6 || (step > 0 && step < 1e-4) {
            for precision in 1...17 {
                let labels = values.map { clean(String(format: "%.\(precision)g", $0)) }
                if allDistinct(labels) { return labels }
            }
            return values.map { clean(String(format: "%.17g", $0)) }
        }
        let decimals = step > 0 ? max(0, min(8, -Int((log10(step) + 1e-9).rounded(.down)))) : 0
        return values.map { clean(String(format: "%.\(decimals)f", $0)) }
    }

    /// One label for `value` as a tick of spacing `step`.
    static func label(_ value: Double, step: Double) -> String {
        labels([value], step: step)[0]
    }

    /// "-0", "-0.0" … become their unsigned form.
    private static func clean(_ text: String) -> String {
        guard text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) else { return text }
        return String(text.dropFirst())
    }

    /// Whether no label repeats (order-independent check; output order is never taken from it).
    private static func allDistinct(_ labels: [String]) -> Bool {
        let sorted = labels.sorted()
        return zip(sorted, sorted.dropFirst()).allSatisfy { $0 != $1 }
    }
}
