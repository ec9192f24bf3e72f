/// The characters a chart is drawn with.
public enum Charset: String, Sendable, CaseIterable {
    /// Braille patterns U+2800–U+28FF: 2×4 dots per character cell (the finest).
    case braille
    /// Quadrant block elements: 2×2 per cell.
    case blocks
    /// Plain ASCII: one dot per cell.
    case ascii
}

/// The options every chart takes (one table, as in UnicodePlots): size of the plotting
/// area in character cells, labels and the character set. Charts never contain colour
/// codes in this version, so notebook outputs and `NO_COLOR` runs are plain text.
public struct ChartOptions: Sendable, Equatable {
    /// Total width in columns of the rendered chart, borders and labels included.
    public var width: Int
    /// Height of the plotting area in rows.
    public var height: Int
    /// Title line above the chart (nil: none).
    public var title: String?
    /// Label under the x axis.
    public var xlabel: String?
    /// Label beside the y axis.
    public var ylabel: String?
    /// The character set.
    public var charset: Charset

    /// Defaults: 80 columns, 15 rows, braille, no labels.
    public init(width: Int = 80, height: Int = 15, title: String? = nil, xlabel: String? = nil,
                ylabel: String? = nil, charset: Charset = .braille) {
        self.width = width
        self.height = height
        self.title = title
        self.xlabel = xlabel
        self.ylabel = ylabel
        self.charset = charset
    }
}

/// An error for data a chart cannot show (e.g. no finite values), or bad options.
public struct ChartError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Lowercase message, expected vs got.
    public let message: String
    /// An error with `message`.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
