import Foundation
import Testing
@testable import TerminalPlots

@Suite struct ScatterGoldenTests {
    private static let points: (xs: [Double], ys: [Double]) = {
        let n = SplitMix64.normals(400, seed: 7)
        let xs = Array(n[0..<200])
        let ys = zip(xs, n[200..<400]).map { 0.8 * $0.0 + 0.4 * $0.1 }
        return (xs, ys)
    }()

    private func golden(_ name: String, _ xs: [Double], _ ys: [Double], _ options: ChartOptions,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let chart = try Charts.scatter(xs, ys, options: options)
        GoldenFile.check(chart, chart: "scatter", case: name, braille: options.charset == .braille,
                         sourceLocation: sourceLocation)
    }

    @Test func braille() throws {
        try golden("braille", Self.points.xs, Self.points.ys, ChartOptions(title: "correlated", xlabel: "x", ylabel: "y"))
    }
    @Test func blocks() throws { try golden("blocks", Self.points.xs, Self.points.ys, ChartOptions(charset: .blocks)) }
    @Test func ascii() throws { try golden("ascii", Self.points.xs, Self.points.ys, ChartOptions(charset: .ascii)) }
    @Test func singlePoint() throws { try golden("single-point", [1], [1], ChartOptions(width: 40, height: 6)) }
    @Test func hugeRange() throws {
        try golden("huge-range", [1, 1e6, 1e12, 5e11], [-3e8, 0, 7e8, 2e8], ChartOptions(width: 60, height: 8))
    }

    @Test func errors() {
        #expect(throws: ChartError("scatter has no values")) { try Charts.scatter([], [], options: ChartOptions()) }
        #expect(throws: ChartError("scatter has no finite values (1 non-finite)")) {
            try Charts.scatter([.nan], [1], options: ChartOptions())
        }
    }
}
