import Testing
@testable import TerminalPlots

@Suite struct SparklineGoldenTests {
    @Test func ramp() throws {
        GoldenFile.check(try Charts.sparkline([1, 2, 3, 4, 5, 6, 7, 8, 7, 5, 3, 1]), chart: "sparkline", case: "ramp")
    }
    @Test func withNonFinite() throws {
        GoldenFile.check(try Charts.sparkline([0, 1, .nan, 4, .infinity, 2]), chart: "sparkline", case: "non-finite")
    }
    @Test func allEqual() throws {
        GoldenFile.check(try Charts.sparkline([2, 2, 2, 2]), chart: "sparkline", case: "all-equal")
    }
    @Test func levelsSpanTheRange() throws {
        #expect(try Charts.sparkline([0, 7]) == "▁█")
        #expect(throws: ChartError("sparkline has no values")) { try Charts.sparkline([]) }
    }
}
