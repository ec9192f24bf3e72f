extension Charts {
    /// A line chart of one or several named series, each drawn point to point in the order
    /// given. Braille and blocks draw connected segments on the dot grid (Bresenham); with two
    /// or more series braille tells them apart by line pattern (solid, dashed, dotted …) and
    /// blocks and ASCII by marker characters, and a legend line names them. Axes have nice
    /// ticks (1-2-5 rule). Points with a NaN or ±Inf coordinate are skipped (the line breaks
    /// there) and counted in the title. No colour codes.
    /// Throws when there are no series or points, when a series' xs and ys differ in length,
    /// when no point is finite, or when the options are too small.
    public static func line(_ series: [(name: String, xs: [Double], ys: [Double])],
                            options: ChartOptions = ChartOptions()) throws -> String {
        guard !series.isEmpty, series.contains(where: { !$0.xs.isEmpty }) else { throw ChartError("line has no values") }
        try PlotData.validate(options)
        for s in series where s.xs.count != s.ys.count {
            throw ChartError("line series '\(s.name)': expected as many xs as ys, got \(s.xs.count) xs and \(s.ys.count) ys")
        }
        var skipped = 0
        // Each series as runs of finite points (a non-finite point breaks the line).
        let runs: [[[(x: Double, y: Double)]]] = series.map { s in
            var result: [[(x: Double, y: Double)]] = [[]]
            for (x, y) in zip(s.xs, s.ys) {
                if x.isFinite && y.isFinite {
                    result[result.count - 1].append((x, y))
                } else {
                    skipped += 1
                    if !(result.last ?? []).isEmpty { result.append([]) }
                }
            }
            return result.filter { !$0.isEmpty }
        }
        let points = runs.flatMap { $0.flatMap { $0 } }
        guard !points.isEmpty else { throw ChartError("line has no finite values (\(skipped) non-finite)") }
        let xExtent = PlotData.extent(points.map { $0.x })
        let yExtent = PlotData.extent(points.map { $0.y })
        let xData = try NiceTicks.dataRange(min: xExtent.min, max: xExtent.max)
        let yData = try NiceTicks.dataRange(min: yExtent.min, max: yExtent.max)
        let y = try PlotData.yAxis(lo: yData.lo, hi: yData.hi, options: options)
        let frame = y.frame
        let x = PlotData.xRange(lo: xData.lo, hi: xData.hi, columns: frame.plotColumns)

        let charset = options.charset
        let useMarkers = charset == .ascii || (charset == .blocks && series.count >= 2)
        var canvas = Canvas(columns: frame.plotColumns, rows: options.height, charset: charset)
        let (width, height) = useMarkers ? (canvas.columns, canvas.rows) : (canvas.dotWidth, canvas.dotHeight)
        let xScale = LinearScale(lo: x.lo, hi: x.hi, count: width)
        let yScale = LinearScale(lo: y.lo, hi: y.hi, count: height)
        for (index, seriesRuns) in runs.enumerated() {
            let marker = SeriesStyle.marker(index, charset: charset) ?? "*"
            for run in seriesRuns {
                var step = 0
                var previous: (x: Int, y: Int)?
                for p in run {
                    let current = (x: xScale.position(p.x), y: yScale.flippedPosition(p.y))
                    let path = previous.map { Bresenham.points(x0: $0.x, y0: $0.y, x1: current.x, y1: current.y).dropFirst() }
                        ?? [current][...]
                    for q in path {
                        if useMarkers {
                            canvas.setMarker(column: q.x, row: q.y, marker)
                        } else if series.count < 2 || SeriesStyle.braillePattern(index, step: step) {
                            canvas.setDot(x: q.x, y: q.y)
                        }
                        step += 1
                    }
                    previous = current
                }
            }
        }
        let xTicks = PlotData.xTicks(lo: x.lo, hi: x.hi, step: x.step, columns: frame.plotColumns, charset: charset)
        let legend = series.count >= 2
            ? series.enumerated().map { SeriesStyle.legendEntry($0.offset, name: $0.element.name, charset: charset) } : []
        return frame.render(plot: canvas.lines(), xTicks: xTicks, title: TextLayout.title(options.title, skipped: skipped),
                            xlabel: options.xlabel, ylabel: options.ylabel, legend: legend)
    }
}
