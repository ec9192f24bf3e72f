extension Charts {
    /// The sparsity pattern of a `rows`×`cols` mask (`kept` row-major), like MATLAB's `spy`.
    /// The title reads `spy [rows, cols], sparsity 0.50` (sparsity = fraction of entries not
    /// kept), under the user's title when there is one.
    ///
    /// When the matrix fits the canvas (`width - 2` columns by `height` rows of cells) every
    /// entry is one dot: braille 2×4 entries per character, blocks 2×2 (quadrants), ascii one
    /// entry per character as `#` (kept) or `.`. A larger matrix is downsampled: each cell
    /// covers a block of entries and is blank only when nothing in the block is kept,
    /// otherwise shaded by the fraction kept (`░▒▓█`, ascii ` .:-=+*#%@`); a note under
    /// the frame gives the block size. Throws when the shape does not match or is empty.
    public static func spy(rows: Int, cols: Int, kept: [Bool], options: ChartOptions) throws -> String {
        guard rows >= 0, cols >= 0, rows * cols == kept.count else {
            throw ChartError("spy: expected \(rows) × \(cols) = \(max(0, rows) * max(0, cols)) entries, got \(kept.count)")
        }
        guard rows > 0, cols > 0 else { throw ChartError("spy: the mask is empty ([\(rows), \(cols)])") }
        let keptCount = kept.reduce(0) { $0 + ($1 ? 1 : 0) }
        let sparsity = 1 - Double(keptCount) / Double(kept.count)
        let heading = "spy [\(rows), \(cols)], sparsity " + fixedTwo(sparsity)

        let maxCols = max(1, options.width - 2)
        let maxRows = max(1, options.height)
        let (dotW, dotH): (Int, Int)
        switch options.charset {
        case .braille: (dotW, dotH) = (2, 4)
        case .blocks: (dotW, dotH) = (2, 2)
        case .ascii: (dotW, dotH) = (1, 1)
        }
        var cells: [String]
        var note: String?
        if cols <= maxCols * dotW, rows <= maxRows * dotH {
            cells = dotRows(rows: rows, cols: cols, kept: kept, dotW: dotW, dotH: dotH, charset: options.charset)
        } else {
            let blockW = (cols + maxCols - 1) / maxCols
            let blockH = (rows + maxRows - 1) / maxRows
            cells = densityRows(rows: rows, cols: cols, kept: kept, blockW: blockW, blockH: blockH, charset: options.charset)
            note = "each cell: \(blockH)×\(blockW) entries, shade = fraction kept"
        }
        let innerWidth = cells.map(GridText.width).max() ?? 0
        var lines: [String] = []
        let chartWidth = innerWidth + 2
        if let title = options.title { lines.append(GridText.center(title, chartWidth)) }
        lines.append(GridText.center(heading, chartWidth))
        lines += GridText.framed(cells, innerWidth: innerWidth, charset: options.charset)
        if let note { lines.append(note) }
        return GridText.assemble(lines)
    }

    /// `value` with two decimals, no locale.
    private static func fixedTwo(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let tail = hundredths % 100
        return "\(hundredths / 100)." + (tail < 10 ? "0" : "") + "\(tail)"
    }

    /// One dot per entry: each character covers `dotW`×`dotH` entries.
    private static func dotRows(rows: Int, cols: Int, kept: [Bool], dotW: Int, dotH: Int, charset: Charset) -> [String] {
        let gridCols = (cols + dotW - 1) / dotW
        let gridRows = (rows + dotH - 1) / dotH
        // Braille dot bits by (row, column) inside the 2×4 cell.
        let brailleBits: [[UInt32]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
        let quadrants = Array(" ▘▝▀▖▌▞▛▗▚▐▜▄▙▟█").map(String.init)
        var lines: [String] = []
        for gr in 0..<gridRows {
            var line = ""
            for gc in 0..<gridCols {
                var bits: UInt32 = 0
                for dy in 0..<dotH {
                    for dx in 0..<dotW {
                        let r = gr * dotH + dy
                        let c = gc * dotW + dx
                        guard r < rows, c < cols, kept[r * cols + c] else { continue }
                        switch charset {
                        case .braille: bits |= brailleBits[dy][dx]
                        case .blocks: bits |= UInt32(1 << (dy * 2 + dx))
                        case .ascii: bits = 1
                        }
                    }
                }
                switch charset {
                case .braille: line += String(Character(Unicode.Scalar(0x2800 + bits) ?? " "))
                case .blocks: line += quadrants[Int(bits)]
                case .ascii: line += bits == 0 ? "." : "#"
                }
            }
            lines.append(line)
        }
        return lines
    }

    /// One character per `blockW`×`blockH` block, shaded by the fraction kept (blank only
    /// when nothing in the block is kept).
    private static func densityRows(rows: Int, cols: Int, kept: [Bool], blockW: Int, blockH: Int, charset: Charset) -> [String] {
        let ramp: [String] = charset == .ascii
            ? [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"]
            : [" ", "░", "▒", "▓", "█"]
        let gridCols = (cols + blockW - 1) / blockW
        let gridRows = (rows + blockH - 1) / blockH
        var lines: [String] = []
        for gr in 0..<gridRows {
            var line = ""
            for gc in 0..<gridCols {
                var on = 0
                var total = 0
                for r in (gr * blockH)..<min(rows, (gr + 1) * blockH) {
                    for c in (gc * blockW)..<min(cols, (gc + 1) * blockW) {
                        total += 1
                        if kept[r * cols + c] { on += 1 }
                    }
                }
                if on == 0 {
                    line += ramp[0]
                } else {
                    let fraction = Double(on) / Double(total)
                    let level = Int((fraction * Double(ramp.count - 1)).rounded(.up))
                    line += ramp[min(max(level, 1), ramp.count - 1)]
                }
            }
            lines.append(line)
        }
        return lines
    }
}
