import Foundation
import PrunebookLanguage

/// Builds run contexts with every builtin and the stdlib installed: the one way a script,
/// a notebook, the REPL or a test gets a ready session.
public enum Interpreter {
    /// A fresh context writing to `output`, with builtins and the stdlib loaded and the
    /// random stream at seed 0. `asciiCharts` starts charts in plain ASCII (scripts and the
    /// REPL on a terminal that cannot show Unicode, or `--ascii`); notebooks never set it,
    /// so a terminal never changes a notebook's outputs. Builtins may write inside
    /// `baseDirectory` and `writableFolders` only (`--allow-write`).
    public static func makeContext(output: @escaping (String) -> Void,
                                   baseDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                                   writableFolders: [URL] = [],
                                   limits: Limits = Limits(),
                                   interrupt: InterruptFlag = InterruptFlag(),
                                   asciiCharts: Bool = false) throws -> RunContext {
        let context = RunContext(output: output, baseDirectory: baseDirectory, limits: limits, interrupt: interrupt)
        context.writableFolders = writableFolders
        if asciiCharts { ChartSettings.store(ChartSettings(charset: .ascii), in: context) }
        for builtin in Registry.builtins {
            context.setGlobal(builtin.name, .function(Callable(builtin: builtin)))
        }
        try Stdlib.load(into: context)
        return context
    }

    /// True when the terminal cannot show Unicode charts (`TERM=dumb`).
    public static var terminalIsPlain: Bool {
        ProcessInfo.processInfo.environment["TERM"] == "dumb"
    }

    /// Runs one cell: its printed output goes to the context's output, then its displayed
    /// value (if any) followed by a newline.
    public static func runCell(_ source: SourceFile, in context: RunContext) throws {
        if let value = try context.run(source) {
            context.output(value.displayText + "\n")
        }
    }
}
