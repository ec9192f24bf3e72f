import Testing
@testable import TerminalPlots

@Suite struct TableGoldenTests {
    @Test func numbersRightAligned() {
        let chart = Charts.table(columns: ["method", "sparsity", "ppl"],
                                 rows: [["magnitude", "0.5", "12.3457"], ["wanda", "0.5", "11.2"], ["dense", "0", "10"]],
                                 numeric: [false, true, true])
        GoldenFile.check(chart, chart: "table", case: "numbers")
    }

    @Test func stringsEscapedAndPadded() {
        let chart = Charts.table(columns: ["name", "note"],
                                 rows: [["a|b", "multi\nline"], ["x"], ["y", "z", "extra"]],
                                 numeric: [false])
        GoldenFile.check(chart, chart: "table", case: "strings")
    }

    @Test func headerOnlyAndEmpty() {
        GoldenFile.check(Charts.table(columns: ["k", "v"], rows: [], numeric: [false, true]), chart: "table", case: "header_only")
        #expect(Charts.table(columns: [], rows: [], numeric: []) == "(empty table)")
    }
}
