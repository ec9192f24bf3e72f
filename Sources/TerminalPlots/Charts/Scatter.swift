extension Charts {
    /// A scatter plot of the points `(xs[i], ys[i])`: one dot each on the charset's dot grid
    /// (braille 2×4 per cell, blocks 2×2, ASCII `*` per cell), with nice ticks on both axes.
    /// Points with a NaN or ±Inf coordinate are skipped and counted in the title; a single
    /// point or all-equal coordinates get a range of ±|v|/2 (±0.5 around 0). No colour codes.
    /// Throws when there are no points, xs and ys differ in length, no point is finite, or
    /// the options are too small.
    public static func scatter(_ xs: [Double], _ ys: [Double], options: ChartOptions = ChartOptions()) throws -> String {
        guard xs.count == ys.count else {
            throw ChartError("scatter: expected as many xs as ys, got \(xs.count) xs and \(ys.count) ys")
        }
        guard !xs.isEmpty else { throw ChartError("scatter has no values") }
        try PlotData.validate(options)
        let points = zip(xs, ys).filter { $0.0.isFinite && $0.1.isFinite }
        let skipped = xs.count - points.count
        guard !points.isEmpty else { throw ChartError("scatter has no finite values (\(skipped) non-finite)") }
        let xExtent = PlotData.extent(points.map { $0.0 })
        let yExtent = PlotData.extent(points.map { $0.1 })
        let xData = try NiceTicks.dataRange(min: xExtent.min, max: xExtent.max)
        let yData = try NiceTicks.dataRange(min: yExtent.min, max: yExtent.max)
        let y = try PlotData.yAxis(lo: yData.lo, hi: yData.hi, options: options)
        let frame = y.frame
        let x = PlotData.xRange(lo: xData.lo, hi: xData.hi, columns: frame.plotColumns)
        var canvas = Canvas(columns: frame.plotColumns, rows: options.height, charset: options.charset)
        let xScale = LinearScale(lo: x.lo, hi: x.hi, count: canvas.dotWidth)
        let yScale = LinearScale(lo: y.lo, hi: y.hi, count: canvas.dotHeight)
        for p in points { canvas.setDot(x: xScale.position(p.0), y: yScale.flippedPosition(p.1)) }
        let xTicks = PlotData.xTicks(lo: x.lo, hi: x.hi, step: x.step, columns: frame.plotColumns, charset: options.charset)
        return frame.render(plot: canvas.lines(), xTicks: xTicks, title: TextLayout.title(options.title, skipped: skipped),
                            xlabel: options.xlabel, ylabel: options.ylabel)
    }
}
