/// How several series on one chart are told apart without colour: braille draws solid,
/// dashed, dotted … lines; blocks and ASCII draw each series with its own marker character.
enum SeriesStyle {
    private static let asciiMarkers: [Character] = ["*", "o", "+", "x", "#", "@", "%", "="]
    private static let blockMarkers: [Character] = ["●", "▲", "■", "◆", "○", "△", "□", "◇"]

    /// The marker of series `index` for `charset` (nil for braille, which uses line patterns).
    static func marker(_ index: Int, charset: Charset) -> Character? {
        switch charset {
        case .braille: return nil
        case .ascii: return asciiMarkers[index % asciiMarkers.count]
        case .blocks: return blockMarkers[index % blockMarkers.count]
        }
    }

    /// Whether the `step`-th dot along a braille line of series `index` is drawn:
    /// solid, dashed (3 on, 3 off), dotted (every other), sparse dots, long dashes.
    static func braillePattern(_ index: Int, step: Int) -> Bool {
        switch index % 5 {
        case 0: return true
        case 1: return (step / 3) % 2 == 0
        case 2: return step % 2 == 0
        case 3: return step % 4 == 0
        default: return (step % 8) < 6
        }
    }

    /// A legend entry: a short sample of the series' line or marker, then its name.
    static func legendEntry(_ index: Int, name: String, charset: Charset) -> String {
        if let marker = marker(index, charset: charset) { return "\(marker) \(name)" }
        var sample = Canvas(columns: 4, rows: 1, charset: .braille)
        sample.drawLine(x0: 0, y0: 1, x1: sample.dotWidth - 1, y1: 1) { braillePattern(index, step: $0) }
        return (sample.lines().first ?? "") + " " + name
    }
}
