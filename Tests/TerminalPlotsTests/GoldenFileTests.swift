import Foundation
import Testing
@testable import TerminalPlots

@Suite struct GoldenFileTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != "1"))
    func missingReferenceFailsWithHowToRecord() {
        let problems = GoldenFile.referenceProblems("abc", chart: "no-such-chart", case: "missing")
        #expect(problems.count == 1)
        #expect(problems.first?.contains("RECORD_SNAPSHOTS=1") == true)
    }

    @Test func raggedLinesFail() {
        #expect(GoldenFile.shapeProblems("ab\nabc", braille: false) == ["lines differ in width: [2, 3]"])
    }

    @Test func nonBrailleInsideABrailleFrameFails() {
        #expect(GoldenFile.shapeProblems(" │*│", braille: true).count == 1)
        #expect(GoldenFile.shapeProblems("1 ┤\u{2801} │", braille: true).isEmpty)
    }
}
