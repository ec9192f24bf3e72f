import Foundation
import Testing
@testable import TerminalPlots

@Suite struct HistogramGoldenTests {
    private static let normal = SplitMix64.normals(10_000, seed: 0)

    private func golden(_ name: String, _ values: [Double], bins: Int = 30, log: Bool = false,
                        _ options: ChartOptions = ChartOptions(), sourceLocation: SourceLocation = #_sourceLocation) throws {
        let chart = try Charts.histogram(values, bins: bins, log: log, options: options)
        GoldenFile.check(chart, chart: "histogram", case: name, braille: options.charset == .braille,
                         sourceLocation: sourceLocation)
    }

    @Test func normalBraille() throws {
        try golden("normal-braille", Self.normal, ChartOptions(title: "10000 normal values", xlabel: "value"))
    }
    @Test func normalBlocks() throws { try golden("normal-blocks", Self.normal, ChartOptions(charset: .blocks)) }
    @Test func normalAscii() throws { try golden("normal-ascii", Self.normal, ChartOptions(charset: .ascii)) }
    @Test func normalLog() throws { try golden("normal-log", Self.normal, log: true, ChartOptions(title: "log counts")) }
    @Test func allEqual() throws { try golden("all-equal", Array(repeating: 3, count: 50), bins: 10) }
    @Test func singleValue() throws { try golden("single-value", [0], bins: 5, ChartOptions(width: 40, height: 6, charset: .ascii)) }
    @Test func nonFinite() throws {
        try golden("non-finite", [1, 2, 2, 3, 3, 3, .nan, .infinity, -.infinity], bins: 3,
                   ChartOptions(width: 50, height: 8, title: "with gaps"))
    }
    @Test func hugeRange() throws {
        try golden("huge-range", [1e9, 2e9, 2.5e9, 3e9, 8e9, 1e10], bins: 9, ChartOptions(width: 60, height: 8))
    }

    @Test func bellShapeRisesToTheMiddle() throws {
        let chart = try Charts.histogram(Self.normal, bins: 30, options: ChartOptions(charset: .ascii))
        let rows = chart.split(separator: "\n").filter { $0.contains("|") }
        let filled = { (r: Substring) in r.filter { $0 == "#" }.count }
        // The top rows hold only a narrow central peak; the bottom row is wide.
        #expect(filled(rows[2]) < filled(rows[rows.count - 1]))
    }
    @Test func errorsForNoValues() {
        #expect(throws: ChartError("histogram has no values")) { try Charts.histogram([], bins: 3, options: ChartOptions()) }
        #expect(throws: ChartError("histogram has no finite values (1 non-finite)")) {
            try Charts.histogram([.nan], bins: 3, options: ChartOptions())
        }
    }
    @Test func everyCharsetAndSizeGivesEqualWidthLines() throws {
        for charset in Charset.allCases {
            for (width, height) in [(20, 2), (40, 5), (80, 15), (120, 30)] {
                let chart = try Charts.histogram(Self.normal, bins: 17, log: width == 40,
                                                 options: ChartOptions(width: width, height: height, charset: charset))
                GoldenFile.checkShape(chart, braille: charset == .braille)
                #expect(chart.split(separator: "\n").first?.count == width)
            }
        }
    }
}
