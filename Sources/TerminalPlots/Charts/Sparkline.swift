extension Charts {
    /// A one-line sparkline: one of `▁▂▃▄▅▆▇█` per value, scaled from the smallest to the
    /// largest finite value (all-equal values all get the middle level). NaN and ±Inf keep
    /// their place as a space. Throws when there are no values or none is finite.
    public static func sparkline(_ values: [Double]) throws -> String {
        guard !values.isEmpty else { throw ChartError("sparkline has no values") }
        let finite = values.filter { $0.isFinite }
        guard !finite.isEmpty else { throw ChartError("sparkline has no finite values (\(values.count) non-finite)") }
        let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let extent = PlotData.extent(finite)
        let (lo, hi) = try NiceTicks.dataRange(min: extent.min, max: extent.max)
        let scale = LinearScale(lo: lo, hi: hi, count: levels.count)
        return String(values.map { $0.isFinite ? levels[scale.position($0)] : " " })
    }
}
