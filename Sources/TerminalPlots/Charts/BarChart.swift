import Foundation

extension Charts {
    /// A horizontal bar chart: one row per label, labels left-aligned in a column, bar
    /// lengths proportional to the values (scaled so the longest bar fills the width), the
    /// value printed after each bar.
    ///
    /// Negative values are drawn against a zero axis: when any value is negative the bar
    /// area is split at zero in proportion to the largest negative and positive magnitudes,
    /// negative bars grow to the left of the axis and their value is printed right of it.
    /// `options.height` is not used (one row per bar); labels longer than a third of the
    /// width are cut with "…". Non-finite values are skipped and counted in the title.
    /// Throws when the counts differ, there are no bars, or no value is finite.
    public static func bar(labels: [String], values: [Double], options: ChartOptions) throws -> String {
        guard labels.count == values.count else {
            throw ChartError("bar: expected as many labels as values, got \(labels.count) labels and \(values.count) values")
        }
        guard !values.isEmpty else { throw ChartError("bar: no values to plot") }
        let entries = zip(labels, values).filter { $0.1.isFinite }
        let skipped = values.count - entries.count
        guard !entries.isEmpty else { throw ChartError("bar: no finite values to plot (\(skipped) non-finite)") }

        let ascii = options.charset == .ascii
        let fill = ascii ? "#" : "█"
        let axis = ascii ? "|" : "┤"
        let width = max(options.width, 20)
        let cleaned = entries.map { GridText.truncate($0.0.replacingOccurrences(of: "\n", with: " "), width / 3) }
        let labelWidth = cleaned.map(GridText.width).max() ?? 0
        let texts = entries.map { GridText.number($0.1) }
        let valueWidth = texts.map(GridText.width).max() ?? 0
        // label, space, axis, space before the value, value.
        let area = max(4, width - labelWidth - 1 - 1 - 1 - valueWidth)
        let negMax = entries.map { max(0, -$0.1) }.max() ?? 0
        let posMax = entries.map { max(0, $0.1) }.max() ?? 0
        let total = negMax + posMax
        let negArea = total > 0 ? Int((Double(area) * negMax / total).rounded()) : 0
        let posArea = area - negArea
        let scale = total > 0 ? Double(area) / total : 0

        var lines: [String] = []
        let titleParts = [options.title, GridText.skippedNote(skipped)].compactMap { $0 }
        if !titleParts.isEmpty { lines.append(GridText.center(titleParts.joined(separator: " "), width)) }
        for (i, entry) in entries.enumerated() {
            let length = min(max(abs(entry.1) * scale, 0), Double(area))
            let cells = Int(length.rounded())
            let bar = String(repeating: fill, count: cells)
            var line = GridText.padRight(cleaned[i], labelWidth) + " "
            if entry.1 < 0 {
                line += GridText.padLeft(bar, negArea) + axis
                line += GridText.padRight(" " + texts[i], posArea + 1 + valueWidth)
            } else {
                line += String(repeating: " ", count: negArea) + axis
                line += GridText.padRight(bar + " " + texts[i], posArea + 1 + valueWidth)
            }
            lines.append(line)
        }
        if let xlabel = options.xlabel {
            lines.append(String(repeating: " ", count: labelWidth + 1 + negArea) + GridText.center(xlabel, posArea + 1))
        }
        return GridText.assemble(lines)
    }
}
