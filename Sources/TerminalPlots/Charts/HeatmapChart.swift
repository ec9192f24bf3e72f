import Foundation

extension Charts {
    /// A heatmap of a `rows`×`cols` matrix (`values` row-major): one character cell per
    /// entry, or per block of entries averaged when the matrix is larger than the plotting
    /// area (`width - 2` columns, `height` rows). Cells are shaded on the ramp ` ░▒▓█`
    /// (ascii: ` .:-=+*#%@`) from the minimum to the maximum finite value; a legend line
    /// under the frame shows the ramp between min and max: `min -1.2 [ ░▒▓█] max 3.4`. A constant matrix is drawn in the
    /// middle shade. Non-finite entries are left out of the averages and counted in the
    /// title; a block with no finite entry shows `·` (ascii `?`). No colour codes.
    /// Throws when the shape does not match the values, the matrix is empty, or no entry is finite.
    public static func heatmap(rows: Int, cols: Int, values: [Double], options: ChartOptions) throws -> String {
        guard rows >= 0, cols >= 0, rows * cols == values.count else {
            throw ChartError("heatmap: expected \(rows) × \(cols) = \(max(0, rows) * max(0, cols)) values, got \(values.count)")
        }
        guard rows > 0, cols > 0 else { throw ChartError("heatmap: the matrix is empty ([\(rows), \(cols)])") }
        let finite = values.filter(\.isFinite)
        let skipped = values.count - finite.count
        guard let low = finite.min(), let high = finite.max() else {
            throw ChartError("heatmap: no finite values to plot (\(skipped) non-finite)")
        }
        let ramp: [String] = options.charset == .ascii
            ? [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"]
            : [" ", "░", "▒", "▓", "█"]
        let missing = options.charset == .ascii ? "?" : "·"
        let maxCols = max(1, options.width - 2)
        let maxRows = max(1, options.height)
        let blockW = (cols + maxCols - 1) / maxCols
        let blockH = (rows + maxRows - 1) / maxRows
        let gridCols = (cols + blockW - 1) / blockW
        let gridRows = (rows + blockH - 1) / blockH

        func shade(_ v: Double) -> String {
            guard high > low else { return ramp[ramp.count / 2] }
            let level = Int(((v - low) / (high - low) * Double(ramp.count - 1)).rounded())
            return ramp[min(max(level, 0), ramp.count - 1)]
        }
        var cells: [String] = []
        for gr in 0..<gridRows {
            var row = ""
            for gc in 0..<gridCols {
                var sum = 0.0
                var n = 0
                for r in (gr * blockH)..<min(rows, (gr + 1) * blockH) {
                    for c in (gc * blockW)..<min(cols, (gc + 1) * blockW) where values[r * cols + c].isFinite {
                        sum += values[r * cols + c]
                        n += 1
                    }
                }
                row += n == 0 ? missing : shade(sum / Double(n))
            }
            cells.append(row)
        }

        var lines: [String] = []
        var titleParts = [options.title, GridText.skippedNote(skipped)].compactMap { $0 }
        if blockW > 1 || blockH > 1 { titleParts.append("(\(blockH)×\(blockW) entries per cell, averaged)") }
        let legend = "min " + GridText.number(low) + " [" + ramp.joined() + "] max " + GridText.number(high)
        let chartWidth = max(gridCols + 2, legend.count)
        if !titleParts.isEmpty { lines.append(GridText.center(titleParts.joined(separator: " "), chartWidth)) }
        lines += GridText.framed(cells, innerWidth: gridCols, charset: options.charset)
        lines.append(legend)
        return GridText.assemble(lines)
    }
}
