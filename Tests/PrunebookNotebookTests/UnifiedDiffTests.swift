import Foundation
@testable import PrunebookNotebook
import Testing

@Suite struct UnifiedDiffTests {
    private let header = "--- stored (cell 2)\n+++ new (cell 2)\n"

    private func text(_ lines: [String]) -> String {
        lines.map { $0 + "\n" }.joined()
    }

    private func numbered(_ count: Int) -> [String] {
        (1...count).map { "line \($0)" }
    }

    private func diff(_ old: [String], _ new: [String]) -> String {
        OutputComparison.unifiedDiff(expected: text(old), actual: text(new), label: "cell 2")
    }

    @Test func identicalInputsGiveAnEmptyString() {
        #expect(OutputComparison.unifiedDiff(expected: "", actual: "", label: "x") == "")
        #expect(diff(numbered(10), numbered(10)) == "")
        #expect(OutputComparison.unifiedDiff(expected: "a\nb\n", actual: "a\nb", label: "x") == "")
    }

    @Test func aChangeInTheMiddleHasThreeLinesOfContext() {
        var new = numbered(10)
        new[4] = "five"
        #expect(diff(numbered(10), new) == header + """
        @@ -2,7 +2,7 @@
         line 2
         line 3
         line 4
        -line 5
        +five
         line 6
         line 7
         line 8

        """)
    }

    @Test func anInsertionInTheMiddle() {
        var new = numbered(10)
        new.insert("new", at: 5)
        #expect(diff(numbered(10), new) == header + """
        @@ -3,6 +3,7 @@
         line 3
         line 4
         line 5
        +new
         line 6
         line 7
         line 8

        """)
    }

    @Test func aDeletionInTheMiddle() {
        var new = numbered(10)
        new.remove(at: 4)
        #expect(diff(numbered(10), new) == header + """
        @@ -2,7 +2,6 @@
         line 2
         line 3
         line 4
        -line 5
         line 6
         line 7
         line 8

        """)
    }

    @Test func anInsertionAtTheStart() {
        #expect(diff(numbered(10), ["zero"] + numbered(10)) == header + """
        @@ -1,3 +1,4 @@
        +zero
         line 1
         line 2
         line 3

        """)
    }

    @Test func aDeletionAtTheStart() {
        #expect(diff(numbered(10), Array(numbered(10).dropFirst())) == header + """
        @@ -1,4 +1,3 @@
        -line 1
         line 2
         line 3
         line 4

        """)
    }

    @Test func aChangeAtTheStart() {
        var new = numbered(10)
        new[0] = "one"
        #expect(diff(numbered(10), new) == header + """
        @@ -1,4 +1,4 @@
        -line 1
        +one
         line 2
         line 3
         line 4

        """)
    }

    @Test func aChangeAtTheEnd() {
        var new = numbered(10)
        new[9] = "ten"
        #expect(diff(numbered(10), new) == header + """
        @@ -7,4 +7,4 @@
         line 7
         line 8
         line 9
        -line 10
        +ten

        """)
    }

    @Test func anInsertionAtTheEnd() {
        #expect(diff(numbered(10), numbered(10) + ["eleven"]) == header + """
        @@ -8,3 +8,4 @@
         line 8
         line 9
         line 10
        +eleven

        """)
    }

    @Test func aDeletionAtTheEnd() {
        #expect(diff(numbered(10), Array(numbered(10).dropLast())) == header + """
        @@ -7,4 +7,3 @@
         line 7
         line 8
         line 9
        -line 10

        """)
    }

    @Test func distantChangesGetSeparateHunks() {
        var new = numbered(20)
        new[2] = "c3"
        new[14] = "c15"
        #expect(diff(numbered(20), new) == header + """
        @@ -1,6 +1,6 @@
         line 1
         line 2
        -line 3
        +c3
         line 4
         line 5
         line 6
        @@ -12,7 +12,7 @@
         line 12
         line 13
         line 14
        -line 15
        +c15
         line 16
         line 17
         line 18

        """)
    }

    @Test func changesAtMostSixLinesApartShareAHunk() {
        var close = numbered(20)
        close[2] = "c3"
        close[9] = "c10"
        let merged = diff(numbered(20), close)
        #expect(merged.components(separatedBy: "@@ -").count == 2)
        #expect(merged.hasPrefix(header + "@@ -1,13 +1,13 @@\n"))

        var apart = numbered(20)
        apart[2] = "c3"
        apart[10] = "c11"
        let split = diff(numbered(20), apart)
        #expect(split.components(separatedBy: "@@ -").count == 3)
        #expect(split.contains("@@ -1,6 +1,6 @@\n"))
        #expect(split.contains("@@ -8,7 +8,7 @@\n"))
    }

    @Test func emptySidesStartAtLineZero() {
        #expect(OutputComparison.unifiedDiff(expected: "", actual: "a\nb\n", label: "cell 2") == header + """
        @@ -0,0 +1,2 @@
        +a
        +b

        """)
        #expect(OutputComparison.unifiedDiff(expected: "a\n", actual: "", label: "cell 2") == header + """
        @@ -1,1 +0,0 @@
        -a

        """)
    }

    @Test func everythingChanged() {
        #expect(diff(["a", "b"], ["c", "d", "e"]) == header + """
        @@ -1,2 +1,3 @@
        -a
        -b
        +c
        +d
        +e

        """)
    }

    @Test func linesSplitOnNewlineBytesOnly() {
        #expect(UnifiedDiff.lines(of: "a\r\nb\n") == ["a\r", "b"])
        #expect(UnifiedDiff.lines(of: "a\n\n") == ["a", ""])
        #expect(UnifiedDiff.lines(of: "a") == ["a"])
        #expect(UnifiedDiff.lines(of: "\n") == [""])
        #expect(UnifiedDiff.lines(of: "") == [])
    }

    @Test func editScriptsAreShortestAndRebuildBothSides() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<400 {
            let alphabet = 1 + next(5)
            let old = (0..<next(25)).map { _ in next(alphabet) }
            let new = (0..<next(25)).map { _ in next(alphabet) }
            let edits = LineDiff.edits(old: old, new: new)
            var rebuiltOld: [Int] = [], rebuiltNew: [Int] = []
            var kept = 0
            for edit in edits {
                switch edit {
                case .keep(let oldIndex, let newIndex):
                    #expect(old[oldIndex] == new[newIndex])
                    rebuiltOld.append(old[oldIndex])
                    rebuiltNew.append(new[newIndex])
                    kept += 1
                case .delete(let oldIndex): rebuiltOld.append(old[oldIndex])
                case .insert(let newIndex): rebuiltNew.append(new[newIndex])
                }
            }
            #expect(rebuiltOld == old && rebuiltNew == new, "old \(old) new \(new)")
            #expect(kept == longestCommonSubsequence(old, new), "old \(old) new \(new)")
        }
    }

    @Test func tenThousandLinesWithFewChangesDiffQuickly() {
        let old = (0..<10_000).map { "row \($0): \(Double($0) * 0.25)" }
        var new = old
        new[17] = "changed"
        new.remove(at: 5_000)
        new.insert("inserted", at: 9_990)
        let clock = ContinuousClock()
        var result = ""
        let elapsed = clock.measure { result = diff(old, new) }
        #expect(result.components(separatedBy: "@@ -").count == 4)
        #expect(result.contains("-row 5000: 1250.0\n"))
        #expect(elapsed < .seconds(20), "diff took \(elapsed)")
    }

    @Test func completelyDifferentOutputsStillFinish() {
        let old = (0..<3_000).map { "old \($0)" }
        let new = (0..<3_000).map { "new \($0)" }
        let clock = ContinuousClock()
        var result = ""
        let elapsed = clock.measure { result = diff(old, new) }
        #expect(result.hasPrefix(header + "@@ -1,3000 +1,3000 @@\n-old 0\n"))
        #expect(elapsed < .seconds(30), "diff took \(elapsed)")
    }

    @Test func shuffledRepeatedLinesStillFinish() {
        var state: UInt64 = 42
        func bit() -> Bool {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 63 == 1
        }
        let old = (0..<10_000).map { _ in bit() ? "0" : "" }
        let new = (0..<10_000).map { _ in bit() ? "0" : "" }
        let clock = ContinuousClock()
        var result = ""
        let elapsed = clock.measure { result = diff(old, new) }
        #expect(result.hasPrefix(header + "@@ -"))
        #expect(elapsed < .seconds(30), "diff took \(elapsed)")
    }

    private func longestCommonSubsequence(_ a: [Int], _ b: [Int]) -> Int {
        var row = [Int](repeating: 0, count: b.count + 1)
        for x in a {
            var diagonal = 0
            for (j, y) in b.enumerated() {
                let above = row[j + 1]
                row[j + 1] = x == y ? diagonal + 1 : max(row[j + 1], row[j])
                diagonal = above
            }
        }
        return row[b.count]
    }
}
