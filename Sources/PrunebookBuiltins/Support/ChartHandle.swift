import PrunebookLanguage
import TerminalPlots

/// A rendered chart as a language value: displaying it prints the rendering, `str(chart)`
/// gives the text and `save("x.txt", chart)` writes it. Charts contain no colour codes.
struct ChartHandle: HandleValue {
    /// The rendered chart, lines joined by "\n", no trailing newline.
    let text: String

    var typeName: String { "chart" }

    func display() -> String { text }

    /// Runs a chart renderer, turning its `ChartError` into a value error.
    static func render(_ body: () throws -> String) throws -> Value {
        do {
            return .handle(ChartHandle(text: try body()))
        } catch let error as ChartError {
            throw PrunebookError(.value, error.message)
        }
    }
}
