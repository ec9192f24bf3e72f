import PrunebookLanguage
import TerminalPlots

/// The run's chart settings, set with `charts(charset:, width:, height:)` and kept in
/// `context.extensions["charts"]`: braille, 80 columns, 15 rows unless changed (notebook
/// replays start from these defaults, so the terminal never changes a notebook's output).
struct ChartSettings: Sendable, Equatable {
    /// The character set.
    var charset: Charset = .braille
    /// The total width in columns.
    var width: Int = 80
    /// The plotting-area height in rows.
    var height: Int = 15

    /// The key in `RunContext.extensions`.
    static let key = "charts"

    /// The settings of `context`'s run (defaults when never set).
    static func current(_ context: RunContext) -> ChartSettings {
        context.extensions[key] as? ChartSettings ?? ChartSettings()
    }

    /// Stores `settings` for the rest of the run.
    static func store(_ settings: ChartSettings, in context: RunContext) {
        context.extensions[key] = settings
    }

    /// Chart options from the settings, overridden by the call's optional `width`, `height`,
    /// `title`, `xlabel`, `ylabel` arguments when the builtin has them and they are not nil.
    static func options(_ args: Arguments, _ context: RunContext, names: Set<String>) throws -> ChartOptions {
        let settings = current(context)
        var options = ChartOptions(width: settings.width, height: settings.height, charset: settings.charset)
        if names.contains("width"), let width = try args.optionalInt("width") {
            guard width >= 10, width <= 1000 else { throw args.error("width", "`width` must be between 10 and 1000, got \(width)", kind: .value) }
            options.width = width
        }
        if names.contains("height"), let height = try args.optionalInt("height") {
            guard height >= 1, height <= 500 else { throw args.error("height", "`height` must be between 1 and 500, got \(height)", kind: .value) }
            options.height = height
        }
        if names.contains("title"), !args.isNil("title") { options.title = try args.string("title") }
        if names.contains("xlabel"), !args.isNil("xlabel") { options.xlabel = try args.string("xlabel") }
        if names.contains("ylabel"), !args.isNil("ylabel") { options.ylabel = try args.string("ylabel") }
        return options
    }
}
