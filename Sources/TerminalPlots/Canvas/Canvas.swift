/// A grid of dots drawn into character cells: braille 2×4, quadrant blocks 2×2 or ASCII 1×1
/// dots per cell. Dot coordinates start at the top-left, `x` right and `y` down. A cell may
/// instead carry a marker character (used for distinct series markers), which wins over its dots.
struct Canvas: Sendable {
    /// Width in character cells.
    let columns: Int
    /// Height in character cells.
    let rows: Int
    /// The character set the cells are drawn with.
    let charset: Charset
    /// The character an ASCII dot is drawn with.
    var ink: Character
    private var masks: [UInt8]
    private var markers: [Character?]

    /// An empty canvas of `columns` × `rows` cells.
    init(columns: Int, rows: Int, charset: Charset, ink: Character = "*") {
        precondition(columns > 0 && rows > 0, "canvas needs at least one cell")
        self.columns = columns
        self.rows = rows
        self.charset = charset
        self.ink = ink
        masks = Array(repeating: 0, count: columns * rows)
        markers = Array(repeating: nil, count: columns * rows)
    }

    /// Dots across the canvas.
    var dotWidth: Int { columns * CellGlyphs.dotsWide(charset) }
    /// Dots down the canvas.
    var dotHeight: Int { rows * CellGlyphs.dotsHigh(charset) }

    /// Sets dot `(x, y)`; dots outside the canvas are ignored.
    mutating func setDot(x: Int, y: Int) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let w = CellGlyphs.dotsWide(charset)
        let h = CellGlyphs.dotsHigh(charset)
        masks[(y / h) * columns + x / w] |= CellGlyphs.bit(x: x % w, y: y % h, charset: charset)
    }

    /// Puts `marker` in cell `(column, row)`; cells outside the canvas are ignored.
    mutating func setMarker(column: Int, row: Int, _ marker: Character) {
        guard column >= 0, row >= 0, column < columns, row < rows else { return }
        markers[row * columns + column] = marker
    }

    /// Sets the dots of the segment from `(x0, y0)` to `(x1, y1)` (Bresenham), keeping the
    /// `i`-th dot along it only when `pattern(i)` is true (solid, dashed or dotted lines).
    mutating func drawLine(x0: Int, y0: Int, x1: Int, y1: Int, pattern: (Int) -> Bool = { _ in true }) {
        for (i, p) in Bresenham.points(x0: x0, y0: y0, x1: x1, y1: y1).enumerated() where pattern(i) {
            setDot(x: p.x, y: p.y)
        }
    }

    /// Fills the dots of column `x` from `yTop` down to the bottom of the canvas.
    mutating func fillColumn(x: Int, fromY yTop: Int) {
        guard yTop < dotHeight else { return }
        for y in max(0, yTop)..<dotHeight { setDot(x: x, y: y) }
    }

    /// The rendered rows, each exactly `columns` characters.
    func lines() -> [String] {
        (0..<rows).map { r in
            String((0..<columns).map { c in
                let i = r * columns + c
                if let marker = markers[i] { return marker }
                return CellGlyphs.character(mask: masks[i], charset: charset, ink: ink)
            })
        }
    }
}
