/// A labelled tick: a row (y axis) or column (x axis) of the plotting area and its text.
struct AxisTick: Sendable, Equatable {
    /// The row or column inside the plotting area, from 0.
    let position: Int
    /// The text printed beside (y) or under (x) the frame.
    let label: String
}

/// The decorations around a plotting area of character cells: a box frame (`┌─┐│└┘`, or
/// `+-|` for ASCII) with tick marks, y tick labels right-aligned on the left, x tick labels
/// under the frame, the title centred above, the y label above the frame, the x label
/// centred below and an optional legend line. Every line of the result is `width` wide.
struct AxisFrame: Sendable {
    /// Total width of the chart in columns.
    let width: Int
    /// Labelled rows of the y axis.
    let yTicks: [AxisTick]
    /// The character set (ASCII frames use `+-|`).
    let charset: Charset

    /// Columns left of the frame: the widest y label and a space.
    var margin: Int { (yTicks.map { $0.label.count }.max() ?? 0) + 1 }
    /// Columns inside the frame.
    var plotColumns: Int { width - margin - 2 }

    /// A frame `width` columns wide; throws when too narrow for the y labels and a plot.
    init(width: Int, yTicks: [AxisTick], charset: Charset) throws {
        self.width = width
        self.yTicks = yTicks
        self.charset = charset
        guard plotColumns >= 4 else {
            throw ChartError("width must be at least \(margin + 6) for these axis labels, got \(width)")
        }
    }

    /// The y tick rows for `values` on `scale` (a cell-row scale, top row 0), first label per row.
    static func yTicks(_ values: [Double], labels: [String], rows: Int, lo: Double, hi: Double,
                       dotsPerRow: Int) -> [AxisTick] {
        let scale = LinearScale(lo: lo, hi: hi, count: rows * dotsPerRow)
        var ticks: [AxisTick] = []
        for (value, label) in zip(values, labels) {
            let row = scale.flippedPosition(value) / dotsPerRow
            if !ticks.contains(where: { $0.position == row }) { ticks.append(AxisTick(position: row, label: label)) }
        }
        return ticks
    }

    /// The whole chart around `plot` (rows of `plotColumns` characters). `xTicks` are placed
    /// in the order given, skipping any that would touch an already placed label.
    func render(plot: [String], xTicks: [AxisTick], title: String?, xlabel: String?, ylabel: String?,
                legend: [String] = []) -> String {
        let ascii = charset == .ascii
        let cols = plotColumns
        let pad = String(repeating: " ", count: margin)
        var lines: [String] = []
        if let title { lines.append(overPlot(title)) }
        if let ylabel { lines.append(TextLayout.padRight(ylabel, width)) }
        lines.append(pad + (ascii ? "+" : "┌") + String(repeating: ascii ? "-" : "─", count: cols) + (ascii ? "+" : "┐"))
        for (r, row) in plot.enumerated() {
            let tick = yTicks.first { $0.position == r }
            let left = TextLayout.padLeft(tick?.label ?? "", margin - 1) + " "
            let axis = tick == nil ? (ascii ? "|" : "│") : (ascii ? "+" : "┤")
            lines.append(left + axis + TextLayout.padRight(row, cols) + (ascii ? "|" : "│"))
        }
        var labelLine = Array(repeating: Character(" "), count: width)
        var marked = Array(repeating: false, count: cols)
        var placed: [ClosedRange<Int>] = []
        for tick in xTicks where tick.position >= 0 && tick.position < cols {
            let text = Array(tick.label)
            guard text.count <= width else { continue }
            let center = margin + 1 + tick.position
            let start = min(max(0, center - text.count / 2), width - text.count)
            let span = start...(start + text.count - 1)
            if placed.contains(where: { $0.overlaps((span.lowerBound - 1)...(span.upperBound + 1)) }) { continue }
            placed.append(span)
            marked[tick.position] = true
            for (i, c) in text.enumerated() { labelLine[start + i] = c }
        }
        let bottom = marked.map { $0 ? (ascii ? "+" : "┬") : (ascii ? "-" : "─") }.joined()
        lines.append(pad + (ascii ? "+" : "└") + bottom + (ascii ? "+" : "┘"))
        if !placed.isEmpty { lines.append(String(labelLine)) }
        if let xlabel { lines.append(overPlot(xlabel)) }
        if !legend.isEmpty {
            lines.append(TextLayout.padRight(String(repeating: " ", count: margin + 1) + legend.joined(separator: "   "), width))
        }
        return lines.joined(separator: "\n")
    }

    /// `text` centred over the plotting area when it fits there, else over the whole width.
    private func overPlot(_ text: String) -> String {
        guard text.count <= plotColumns else { return TextLayout.center(text, width) }
        return TextLayout.padRight(String(repeating: " ", count: margin + 1) + TextLayout.center(text, plotColumns), width)
    }
}
