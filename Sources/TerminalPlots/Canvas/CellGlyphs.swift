/// How the dots of one character cell become a character, per charset.
///
/// Dots are addressed `(x, y)` inside the cell, `x` to the right and `y` down, both from 0.
/// Braille cells hold 2×4 dots (U+2800 plus the dot bits of the Unicode braille numbering),
/// quadrant blocks 2×2 dots, ASCII one dot.
enum CellGlyphs {
    /// Dots per cell horizontally for `charset`.
    static func dotsWide(_ charset: Charset) -> Int {
        switch charset {
        case .braille, .blocks: return 2
        case .ascii: return 1
        }
    }

    /// Dots per cell vertically for `charset`.
    static func dotsHigh(_ charset: Charset) -> Int {
        switch charset {
        case .braille: return 4
        case .blocks: return 2
        case .ascii: return 1
        }
    }

    /// Braille dot bits indexed by `y * 2 + x` (dots 1, 4, 2, 5, 3, 6, 7, 8).
    private static let brailleBits: [UInt8] = [0x01, 0x08, 0x02, 0x10, 0x04, 0x20, 0x40, 0x80]

    /// Quadrant characters indexed by the mask upper-left 1, upper-right 2, lower-left 4, lower-right 8.
    private static let quadrants: [Character] = [
        " ", "▘", "▝", "▀", "▖", "▌", "▞", "▛", "▗", "▚", "▐", "▜", "▄", "▙", "▟", "█",
    ]

    /// The bit of dot `(x, y)` in a cell's mask.
    static func bit(x: Int, y: Int, charset: Charset) -> UInt8 {
        switch charset {
        case .braille: return brailleBits[y * 2 + x]
        case .blocks: return UInt8(1 << (y * 2 + x))
        case .ascii: return 1
        }
    }

    /// The character for a cell whose set dots are `mask`; `ink` is the ASCII dot character.
    /// An empty cell is a space in every charset.
    static func character(mask: UInt8, charset: Charset, ink: Character) -> Character {
        if mask == 0 { return " " }
        switch charset {
        case .braille: return Character(Unicode.Scalar(0x2800 + UInt32(mask)) ?? " ")
        case .blocks: return quadrants[Int(mask & 0x0F)]
        case .ascii: return ink
        }
    }
}
