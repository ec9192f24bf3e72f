import Foundation
import Testing
@testable import TerminalPlots

@Suite struct GoldenFileTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != "1"))
    func missingReferenceFailsWithHowToRecord() {
        withKnownIssue {
            GoldenFile.check("abc", chart: "no-such-chart", case: "missing")
        } matching: { issue in
            issue.description.contains("RECORD_SNAPSHOTS=1")
        }
    }

    @Test func raggedLinesFail() {
        withKnownIssue { GoldenFile.checkShape("ab\nabc", braille: false) }
    }

    @Test func nonBrailleInsideABrailleFrameFails() {
        withKnownIssue { GoldenFile.checkShape(" │*│", braille: true) }
        GoldenFile.checkShape("1 ┤\u{2801} │", braille: true)
    }
}
