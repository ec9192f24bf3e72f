/// Shared checks for the histogram, line and scatter charts: option validation, finite
/// filtering and the axis setup (nice y ticks and the frame they imply).
enum PlotData {
    /// Throws unless the options leave room for a plot.
    static func validate(_ options: ChartOptions) throws {
        guard options.height >= 2 else { throw ChartError("height must be at least 2, got \(options.height)") }
        guard options.width >= 10 else { throw ChartError("width must be at least 10, got \(options.width)") }
    }

    /// The smallest and largest of `values` (which must not be empty).
    static func extent(_ values: [Double]) -> (min: Double, max: Double) {
        var lo = values[0], hi = values[0]
        for v in values { lo = min(lo, v); hi = max(hi, v) }
        return (lo, hi)
    }

    /// A y axis over `lo...hi` widened to nice numbers (tick step at least `minStep`, e.g. 1
    /// for counts) and the frame its tick labels imply.
    static func yAxis(lo: Double, hi: Double, minStep: Double = 0, options: ChartOptions)
        throws -> (lo: Double, hi: Double, frame: AxisFrame) {
        let maxTicks = max(2, options.height / 3)
        let range = NiceTicks.expanded(lo: lo, hi: hi, maxCount: maxTicks, minStep: minStep)
        let values = NiceTicks.values(lo: range.lo, hi: range.hi, step: range.step)
        let labels = TickFormat.labels(values, step: range.step)
        let dots = CellGlyphs.dotsHigh(options.charset)
        let ticks = AxisFrame.yTicks(values, labels: labels, rows: options.height, lo: range.lo, hi: range.hi,
                                     dotsPerRow: dots)
        return (range.lo, range.hi, try AxisFrame(width: options.width, yTicks: ticks, charset: options.charset))
    }

    /// Nice x ticks over `lo...hi` for `columns` cells, as labelled columns.
    static func xTicks(lo: Double, hi: Double, step: Double, columns: Int, charset: Charset) -> [AxisTick] {
        let values = NiceTicks.values(lo: lo, hi: hi, step: step)
        let labels = TickFormat.labels(values, step: step)
        let wide = CellGlyphs.dotsWide(charset)
        let scale = LinearScale(lo: lo, hi: hi, count: columns * wide)
        return zip(values, labels).map { AxisTick(position: scale.position($0.0) / wide, label: $0.1) }
    }

    /// The x range for `lo...hi` on `columns` cells, widened to nice numbers, with its step.
    static func xRange(lo: Double, hi: Double, columns: Int) -> (lo: Double, hi: Double, step: Double) {
        NiceTicks.expanded(lo: lo, hi: hi, maxCount: max(2, columns / 10))
    }
}
