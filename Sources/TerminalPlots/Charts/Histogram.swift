import Foundation

extension Charts {
    /// A histogram: `bins` equal-width bins from the smallest to the largest finite value,
    /// drawn as vertical bars, with the outer and every few bin edges labelled on the x axis
    /// and nice count ticks on the y axis. With `log`, bar heights are log10(1 + count) and
    /// the y label says so. All-equal values get a range of ±|v|/2 (±0.5 around 0);
    /// NaN and ±Inf are skipped and counted in the title. No colour codes.
    /// Throws when there are no values, no finite values, `bins < 1` or the options are too small.
    public static func histogram(_ values: [Double], bins: Int, log: Bool = false,
                                 options: ChartOptions = ChartOptions()) throws -> String {
        guard !values.isEmpty else { throw ChartError("histogram has no values") }
        guard bins >= 1 else { throw ChartError("histogram bins must be at least 1, got \(bins)") }
        try PlotData.validate(options)
        let finite = values.filter { $0.isFinite }
        let skipped = values.count - finite.count
        guard !finite.isEmpty else { throw ChartError("histogram has no finite values (\(skipped) non-finite)") }
        let extent = PlotData.extent(finite)
        let (lo, hi) = try NiceTicks.dataRange(min: extent.min, max: extent.max)

        var counts = Array(repeating: 0, count: bins)
        let binWidth = (hi - lo) / Double(bins)
        for v in finite {
            let f = (v - lo) / (hi - lo) * Double(bins)
            counts[min(bins - 1, max(0, Int(f.rounded(.down))))] += 1
        }
        let heights = counts.map { log ? log10(1 + Double($0)) : Double($0) }
        let top = max(heights.max() ?? 1, 1)
        let y = try PlotData.yAxis(lo: 0, hi: top, minStep: log ? 0 : 1, options: options)
        let frame = y.frame
        var canvas = Canvas(columns: frame.plotColumns, rows: options.height, charset: options.charset, ink: "#")
        let w = canvas.dotWidth, h = canvas.dotHeight
        for (i, value) in heights.enumerated() where counts[i] > 0 {
            let dots = max(1, Int((value / y.hi * Double(h)).rounded()))
            let start = i * w / bins
            let end = max(start + 1, (i + 1) * w / bins)
            for x in start..<end { canvas.fillColumn(x: x, fromY: h - dots) }
        }

        let xTicks = edgeTicks(lo: lo, binWidth: binWidth, bins: bins, dotWidth: w, charset: options.charset)
        let ylabel = log ? (options.ylabel.map { "\($0) (log10(1 + count))" } ?? "log10(1 + count)")
            : (options.ylabel ?? "count")
        return frame.render(plot: canvas.lines(), xTicks: xTicks, title: TextLayout.title(options.title, skipped: skipped),
                            xlabel: options.xlabel, ylabel: ylabel)
    }

    /// Labels for the bin edges: the first and last, then every k-th with k the smallest of
    /// 1, 2, 5, 10, 20, 50 … that leaves room between labels.
    private static func edgeTicks(lo: Double, binWidth: Double, bins: Int, dotWidth: Int, charset: Charset) -> [AxisTick] {
        let edges = (0...bins).map { lo + Double($0) * binWidth }
        let labels = TickFormat.labels(edges, step: binWidth / 10)
        let wide = CellGlyphs.dotsWide(charset)
        let columnsPerBin = Double(dotWidth / wide) / Double(bins)
        let needed = Double((labels.map { $0.count }.max() ?? 1) + 2)
        var stride = bins
        var magnitude = 1
        search: while magnitude <= bins {
            for k in [1, 2, 5] where Double(k * magnitude) * columnsPerBin >= needed {
                stride = min(bins, k * magnitude)
                break search
            }
            magnitude *= 10
        }
        func tick(_ j: Int) -> AxisTick {
            AxisTick(position: min(dotWidth - 1, j * dotWidth / bins) / wide, label: labels[j])
        }
        var ticks = [tick(0), tick(bins)]
        for j in Swift.stride(from: stride, to: bins, by: stride) { ticks.append(tick(j)) }
        return ticks
    }
}
