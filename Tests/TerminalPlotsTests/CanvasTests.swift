import Testing
@testable import TerminalPlots

@Suite struct CanvasTests {
    private func cell(_ charset: Charset, _ dots: [(Int, Int)]) -> String {
        var canvas = Canvas(columns: 1, rows: 1, charset: charset)
        for (x, y) in dots { canvas.setDot(x: x, y: y) }
        return canvas.lines()[0]
    }

    @Test func brailleDotZeroZeroIsU2801() { #expect(cell(.braille, [(0, 0)]) == "\u{2801}") }
    @Test func brailleDotOneThreeIsU2880() { #expect(cell(.braille, [(1, 3)]) == "\u{2880}") }
    @Test func brailleDotBitsFollowUnicodeNumbering() {
        #expect(cell(.braille, [(0, 1)]) == "\u{2802}")
        #expect(cell(.braille, [(0, 2)]) == "\u{2804}")
        #expect(cell(.braille, [(1, 0)]) == "\u{2808}")
        #expect(cell(.braille, [(1, 1)]) == "\u{2810}")
        #expect(cell(.braille, [(1, 2)]) == "\u{2820}")
        #expect(cell(.braille, [(0, 3)]) == "\u{2840}")
        let all = (0..<2).flatMap { x in (0..<4).map { (x, $0) } }
        #expect(cell(.braille, all) == "\u{28FF}")
    }
    @Test func emptyCellsAreSpaces() {
        for charset in Charset.allCases { #expect(cell(charset, []) == " ") }
    }
    @Test func blockQuadrants() {
        #expect(cell(.blocks, [(0, 0)]) == "▘")
        #expect(cell(.blocks, [(1, 0)]) == "▝")
        #expect(cell(.blocks, [(0, 1)]) == "▖")
        #expect(cell(.blocks, [(1, 1)]) == "▗")
        #expect(cell(.blocks, [(0, 0), (1, 0)]) == "▀")
        #expect(cell(.blocks, [(0, 1), (1, 1)]) == "▄")
        #expect(cell(.blocks, [(0, 0), (1, 1)]) == "▚")
        #expect(cell(.blocks, [(0, 0), (1, 0), (0, 1), (1, 1)]) == "█")
    }
    @Test func asciiOneDotPerCellDrawnWithInk() {
        var canvas = Canvas(columns: 3, rows: 2, charset: .ascii, ink: "#")
        canvas.setDot(x: 2, y: 1)
        #expect(canvas.lines() == ["   ", "  #"])
        #expect(canvas.dotWidth == 3 && canvas.dotHeight == 2)
    }
    @Test func dotsOutsideAreIgnoredAndMarkersWin() {
        var canvas = Canvas(columns: 2, rows: 1, charset: .braille)
        canvas.setDot(x: -1, y: 0)
        canvas.setDot(x: 4, y: 0)
        canvas.setDot(x: 0, y: 0)
        canvas.setMarker(column: 1, row: 0, "o")
        #expect(canvas.lines() == ["\u{2801}o"])
    }
    @Test func bresenhamIncludesBothEndsAndSteps() {
        let points = Bresenham.points(x0: 0, y0: 0, x1: 4, y1: 2).map { [$0.x, $0.y] }
        #expect(points == [[0, 0], [1, 1], [2, 1], [3, 2], [4, 2]])
        #expect(Bresenham.points(x0: 3, y0: 3, x1: 3, y1: 3).count == 1)
    }
    @Test func diagonalBrailleLineFillsEachCellsDiagonal() {
        var canvas = Canvas(columns: 2, rows: 1, charset: .braille)
        canvas.drawLine(x0: 0, y0: 3, x1: 3, y1: 0)
        // (0,3) (1,2) in the first cell, (2,1) (3,0) in the second.
        #expect(canvas.lines() == ["\u{2860}\u{280A}"])
    }
    @Test func niceStepsFollowOneTwoFive() {
        #expect(NiceTicks.step(span: 10, maxCount: 5) == 2)
        #expect(NiceTicks.step(span: 1, maxCount: 4) == 0.5)
        #expect(NiceTicks.step(span: 1000, maxCount: 3) == 500)
        #expect(NiceTicks.step(span: 7, maxCount: 7) == 1)
        #expect(NiceTicks.values(lo: -1.3, hi: 2.1, step: 1) == [-1, 0, 1, 2])
        #expect(NiceTicks.values(lo: -4e-5, hi: 4e-5, step: 2e-5).contains(0))
        #expect(NiceTicks.values(lo: 1e20, hi: 1e20 + 3e5, step: 1e5).count >= 1)
        let e = NiceTicks.expanded(lo: 3, hi: 97, maxCount: 5)
        #expect(e.lo == 0 && e.hi == 100 && e.step == 20)
    }
    @Test func tickLabelsUseFixedDecimalsOrGStyle() {
        #expect(TickFormat.labels([0, 0.5, 1], step: 0.5) == ["0.0", "0.5", "1.0"])
        #expect(TickFormat.labels([0, 2e9, 4e9], step: 2e9) == ["0", "2e+09", "4e+09"])
        #expect(TickFormat.labels([-0.0], step: 1) == ["0"])
        #expect(TickFormat.labels([1e15, 1e15 + 0.5, 1e15 + 1], step: 0.5) == ["1000000000000000", "1000000000000000.5", "1000000000000001"])
    }
    @Test func allEqualRangeIsHalfMagnitudeOrHalf() throws {
        let zero = try NiceTicks.dataRange(min: 0, max: 0)
        #expect(zero.lo == -0.5 && zero.hi == 0.5)
        let four = try NiceTicks.dataRange(min: 4, max: 4)
        #expect(four.lo == 2 && four.hi == 6)
    }
}
