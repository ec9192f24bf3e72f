import Foundation
import Testing
@testable import TerminalPlots

@Suite struct LineGoldenTests {
    private static let xs = (0...60).map { Double($0) / 10 }
    private static let sine = (name: "sin", xs: xs, ys: xs.map { sin($0) })
    private static let cosine = (name: "cos", xs: xs, ys: xs.map { cos($0) })

    private func golden(_ name: String, _ series: [(name: String, xs: [Double], ys: [Double])],
                        _ options: ChartOptions = ChartOptions(), sourceLocation: SourceLocation = #_sourceLocation) throws {
        let chart = try Charts.line(series, options: options)
        GoldenFile.check(chart, chart: "line", case: name, braille: options.charset == .braille,
                         sourceLocation: sourceLocation)
    }

    @Test func oneSeriesBraille() throws { try golden("one-series-braille", [Self.sine], ChartOptions(title: "sin(x)")) }
    @Test func oneSeriesBlocks() throws { try golden("one-series-blocks", [Self.sine], ChartOptions(charset: .blocks)) }
    @Test func oneSeriesAscii() throws { try golden("one-series-ascii", [Self.sine], ChartOptions(charset: .ascii)) }
    @Test func twoSeriesBraille() throws {
        try golden("two-series-braille", [Self.sine, Self.cosine],
                   ChartOptions(title: "sin and cos", xlabel: "x", ylabel: "y"))
    }
    @Test func twoSeriesBlocks() throws { try golden("two-series-blocks", [Self.sine, Self.cosine], ChartOptions(charset: .blocks)) }
    @Test func twoSeriesAscii() throws { try golden("two-series-ascii", [Self.sine, Self.cosine], ChartOptions(charset: .ascii)) }
    @Test func straightLine() throws {
        try golden("straight-line", [(name: "y = 2x", xs: [0, 10], ys: [0, 20])], ChartOptions(width: 60, height: 10))
    }
    @Test func perplexityCurve() throws {
        let sparsity = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
        try golden("perplexity", [
            (name: "magnitude", xs: sparsity, ys: [12.1, 12.2, 12.5, 13.1, 14.4, 17.0, 23.5, 41.0, 120.0]),
            (name: "wanda", xs: sparsity, ys: [12.1, 12.1, 12.3, 12.6, 13.2, 14.5, 17.1, 24.0, 55.0]),
            (name: "sparsegpt", xs: sparsity, ys: [12.1, 12.1, 12.2, 12.5, 13.0, 14.0, 16.2, 21.0, 40.0]),
        ], ChartOptions(height: 12, title: "perplexity vs sparsity", xlabel: "sparsity", ylabel: "perplexity"))
    }
    @Test func singlePoint() throws {
        try golden("single-point", [(name: "p", xs: [2], ys: [5])], ChartOptions(width: 40, height: 6))
    }
    @Test func nonFiniteBreaksTheLine() throws {
        try golden("non-finite", [(name: "gap", xs: [0, 1, 2, 3, 4, 5], ys: [0, 1, .nan, 3, .infinity, 5])],
                   ChartOptions(width: 50, height: 8))
    }

    @Test func errors() {
        #expect(throws: ChartError("line has no values")) { try Charts.line([], options: ChartOptions()) }
        #expect(throws: ChartError("line series 'a': expected as many xs as ys, got 2 xs and 1 ys")) {
            try Charts.line([(name: "a", xs: [1, 2], ys: [1])], options: ChartOptions())
        }
    }
}
