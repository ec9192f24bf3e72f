import Testing
@testable import TerminalPlots

@Suite struct SpyGoldenTests {
    /// A 2:4 mask of a `rows` × `cols` random matrix: the 2 largest magnitudes of every
    /// 4 consecutive entries in a row are kept.
    static func mask24(rows: Int, cols: Int, seed: UInt64) -> [Bool] {
        let values = SplitMix64.normals(rows * cols, seed: seed).map(abs)
        var kept = Array(repeating: false, count: values.count)
        for start in stride(from: 0, to: values.count, by: 4) {
            let group = (start..<start + 4).sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
            kept[group[0]] = true
            kept[group[1]] = true
        }
        return kept
    }

    @Test func pattern24Braille() throws {
        let chart = try Charts.spy(rows: 16, cols: 32, kept: Self.mask24(rows: 16, cols: 32, seed: 1), options: ChartOptions())
        #expect(chart.hasPrefix("spy [16, 32], sparsity 0.50"))
        GoldenFile.check(chart, chart: "spy", case: "nm24_braille", braille: true)
    }

    @Test func pattern24Blocks() throws {
        let chart = try Charts.spy(rows: 16, cols: 32, kept: Self.mask24(rows: 16, cols: 32, seed: 1),
                                   options: ChartOptions(charset: .blocks))
        GoldenFile.check(chart, chart: "spy", case: "nm24_blocks")
    }

    @Test func pattern24Ascii() throws {
        let chart = try Charts.spy(rows: 16, cols: 32, kept: Self.mask24(rows: 16, cols: 32, seed: 1),
                                   options: ChartOptions(height: 16, title: "layer 0", charset: .ascii))
        GoldenFile.check(chart, chart: "spy", case: "nm24_ascii")
        // Every group of 4 in every row shows exactly 2 kept entries.
        let rows = chart.split(separator: "\n").filter { $0.hasPrefix("|") }.map { Array($0.dropFirst().prefix(32)) }
        #expect(rows.count == 16)
        for row in rows {
            for g in stride(from: 0, to: 32, by: 4) { #expect(row[g..<g + 4].filter { $0 == "#" }.count == 2) }
        }
    }

    @Test func largeIsDownsampledWithDensity() throws {
        // 200 × 600, kept density growing from left (0) to right (1).
        var kept: [Bool] = []
        var rng = SplitMix64(state: 7)
        for _ in 0..<200 {
            for c in 0..<600 { kept.append(rng.unit() < Double(c) / 600) }
        }
        let chart = try Charts.spy(rows: 200, cols: 600, kept: kept, options: ChartOptions(width: 60, height: 10))
        GoldenFile.check(chart, chart: "spy", case: "large_downsampled")
        let ascii = try Charts.spy(rows: 200, cols: 600, kept: kept, options: ChartOptions(width: 60, height: 10, charset: .ascii))
        GoldenFile.check(ascii, chart: "spy", case: "large_downsampled_ascii")
    }

    @Test func allKeptAndNoneKept() throws {
        let full = try Charts.spy(rows: 3, cols: 5, kept: Array(repeating: true, count: 15), options: ChartOptions())
        GoldenFile.check(full, chart: "spy", case: "all_kept", braille: true)
        let none = try Charts.spy(rows: 3, cols: 5, kept: Array(repeating: false, count: 15), options: ChartOptions(charset: .blocks))
        GoldenFile.check(none, chart: "spy", case: "none_kept_blocks")
    }

    @Test func errors() {
        #expect(throws: ChartError.self) { try Charts.spy(rows: 2, cols: 2, kept: [true], options: ChartOptions()) }
        #expect(throws: ChartError.self) { try Charts.spy(rows: 0, cols: 0, kept: [], options: ChartOptions()) }
    }
}
