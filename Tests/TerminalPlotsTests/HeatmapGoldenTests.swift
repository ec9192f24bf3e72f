import Testing
@testable import TerminalPlots

@Suite struct HeatmapGoldenTests {
    @Test func small() throws {
        let values = (0..<24).map(Double.init)
        let chart = try Charts.heatmap(rows: 4, cols: 6, values: values, options: ChartOptions(title: "ramp"))
        GoldenFile.check(chart, chart: "heatmap", case: "small")
    }

    @Test func smallAscii() throws {
        let values = (0..<20).map { Double(($0 * 7) % 10) }
        let chart = try Charts.heatmap(rows: 2, cols: 10, values: values, options: ChartOptions(charset: .ascii))
        GoldenFile.check(chart, chart: "heatmap", case: "small_ascii")
    }

    @Test func largeIsDownsampled() throws {
        // A smooth bump: 60 × 200 entries averaged into blocks of at most 38 × 8 cells.
        var values: [Double] = []
        for r in 0..<60 {
            for c in 0..<200 {
                let dr = Double(r - 30) / 15, dc = Double(c - 100) / 50
                values.append(-(dr * dr + dc * dc))
            }
        }
        let chart = try Charts.heatmap(rows: 60, cols: 200, values: values, options: ChartOptions(width: 40, height: 8))
        GoldenFile.check(chart, chart: "heatmap", case: "large_downsampled")
    }

    @Test func constant() throws {
        let chart = try Charts.heatmap(rows: 3, cols: 3, values: Array(repeating: 2, count: 9), options: ChartOptions())
        GoldenFile.check(chart, chart: "heatmap", case: "constant")
    }

    @Test func nonFiniteCounted() throws {
        let chart = try Charts.heatmap(rows: 2, cols: 3, values: [1, .nan, 3, 4, .infinity, 6], options: ChartOptions())
        GoldenFile.check(chart, chart: "heatmap", case: "nonfinite")
    }

    @Test func errors() {
        #expect(throws: ChartError.self) { try Charts.heatmap(rows: 2, cols: 2, values: [1], options: ChartOptions()) }
        #expect(throws: ChartError.self) { try Charts.heatmap(rows: 0, cols: 3, values: [], options: ChartOptions()) }
        #expect(throws: ChartError.self) { try Charts.heatmap(rows: 1, cols: 1, values: [.nan], options: ChartOptions()) }
    }
}
