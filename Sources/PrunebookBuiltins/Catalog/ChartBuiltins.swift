import PrunebookLanguage
import TensorModule
import TerminalPlots

/// Chart builtins: text charts rendered by `TerminalPlots` and returned as `chart` values
/// (display prints them, `str` gives the text, `save("x.txt", c)` writes it), plus
/// `table` and the run's chart settings (`charts`). Charts contain no colour codes.
enum ChartBuiltins {
    static let all: [Builtin] = [hist, line, scatter, bar, heatmap, spy, sparkline, table, charts]

    /// The optional `title`, `width` and `height` parameters most charts take.
    static let sizeParameters: [Parameter] = [
        .optional("title", .optional(.string), .nilValue),
        .optional("width", .optional(.integer), .nilValue),
        .optional("height", .optional(.integer), .nilValue),
    ]

    /// The finite-or-not values of a tensor argument, as doubles.
    static func doubles(_ args: Arguments, _ name: String) throws -> [Double] {
        try args.tensor(name).doubles()
    }

    /// A 1-D or 2-D tensor argument as (rows, cols, tensor); 1-D is one row.
    static func matrix(_ args: Arguments, _ name: String, builtin: String) throws -> (Int, Int, Tensor) {
        let t = try args.tensor(name)
        switch t.ndim {
        case 1: return (1, t.shape[0], t)
        case 2: return (t.shape[0], t.shape[1], t)
        default:
            throw args.error(name, "`\(name)` expects a 1-D or 2-D tensor, got shape \(formatShape(t.shape))", kind: .shape)
        }
    }

    /// The optional `xlabel` and `ylabel` parameters of the x–y charts.
    static let labelParameters: [Parameter] = [
        .optional("xlabel", .optional(.string), .nilValue),
        .optional("ylabel", .optional(.string), .nilValue),
    ]

    /// `hist(t, bins: 20, ...)`: a histogram of all elements.
    static let hist = Builtin(
        name: "hist", category: "Charts",
        parameters: [.required("t", .tensor), .optional("bins", .integer, .number(20))] + sizeParameters
            + [.optional("log", .bool, .bool(false))],
        returns: "chart",
        summary: "histogram of all elements of a tensor, bin edges labelled; `log: true` for log-scaled counts",
        doc: "Counts every element into `bins` equal-width bins (default 20) between the min and max finite values. "
            + "Width, height and charset default to the `charts` settings (80, 15, braille). NaN/Inf are skipped and "
            + "counted in the title. Errors on an empty tensor or when no value is finite.",
        example: "hist([1, 2, 2, 3, 3, 3], bins: 3, width: 40, height: 4)",
        output: "count                                   \n  ┌────────────────────────────────────┐\n4 ┤                                    │\n2 ┤                        ⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿│\n  │            ⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿│\n0 ┤⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿│\n  └┬───────────┬───────────┬──────────┬┘\n 1.00        1.67        2.33       3.00\n"
    ) { args, context in
        let options = try ChartSettings.options(args, context, names: ["title", "width", "height"])
        let bins = try args.int("bins")
        guard bins >= 1, bins <= 1000 else { throw args.error("bins", "`bins` must be between 1 and 1000, got \(bins)", kind: .value) }
        let values = try doubles(args, "t")
        let log = try args.bool("log")
        return try ChartHandle.render { try Charts.histogram(values, bins: bins, log: log, options: options) }
    }

    /// `line(xs, ys | {name: ys, ...}, ...)`: line chart of one or several series.
    static let line = Builtin(
        name: "line", category: "Charts",
        parameters: [.required("xs", .either(.tensor, .record)), .optional("ys", .optional(.either(.tensor, .record)), .nilValue),
                     sizeParameters[0]] + labelParameters + Array(sizeParameters[1...]),
        returns: "chart",
        summary: "line chart of `ys` against `xs`; a record `{name: ys, ...}` draws several series with a legend",
        doc: "`xs` and each series are tensors or lists of numbers of the same length. With a record, each field is one "
            + "named series (legend in field order). Given only one of them (`line(losses)`, `line({a: ys, b: zs})`), "
            + "it is the ys and the xs are 0, 1, 2, … as in matplotlib's `plot(y)`. Axis ticks use nice numbers. "
            + "NaN/Inf points are skipped and counted in the title. Errors on length mismatches or when no point is finite.",
        example: "print(line([1, 2, 3, 4], [1, 4, 9, 16], width: 40, height: 5))\nline([3, 1, 2], width: 20, height: 3)",
        output: "   ┌───────────────────────────────────┐\n20 ┤                                   │\n   │                            ⣀⣀⠤⠤⠒⠒⠉│\n10 ┤                    ⣀⣀⠤⠤⠒⠒⠉⠉       │\n   │          ⣀⣀⣀⠤⠤⠒⠒⠊⠉⠉               │\n 0 ┤⠤⠤⠒⠒⠒⠒⠉⠉⠉⠉                         │\n   └┬──────────┬───────────┬──────────┬┘\n    1          2           3          4 \n  ┌────────────────┐\n3 ┤⠑⠢⣀             │\n2 ┤   ⠑⠤⡀      ⢀⣀⠤⠒│\n1 ┤     ⠈⠑⠤⣀⠤⠒⠊⠁   │\n  └┬───────┬──────┬┘\n   0       1      2 \n"
    ) { args, context in
        let options = try ChartSettings.options(args, context, names: ["title", "xlabel", "ylabel", "width", "height"])
        let ysName = args.isNil("ys") ? "xs" : "ys"
        var named: [(name: String, ys: [Double])] = []
        if case .record(let record) = args[ysName] {
            for (name, value) in record.fields {
                do { named.append((name, try value.asTensor().doubles())) } catch {
                    throw args.error(ysName, "`\(ysName)` expects each series to be numbers, got a \(value.typeName) for `\(name)`")
                }
            }
            guard !named.isEmpty else { throw args.error(ysName, "`\(ysName)` needs at least one series, got an empty record", kind: .value) }
        } else {
            named = [("y", try doubles(args, ysName))]
        }
        let xs: [Double]
        if args.isNil("ys") {
            xs = (0..<named[0].ys.count).map(Double.init)
        } else {
            if case .record = args["xs"] { throw args.error("xs", "`xs` expects numbers when `ys` is given, got a record") }
            xs = try doubles(args, "xs")
        }
        for s in named where s.ys.count != xs.count {
            throw args.error(ysName, "`\(ysName)` expects as many ys as xs, got \(xs.count) xs and \(s.ys.count) ys"
                + (named.count > 1 ? " in `\(s.name)`" : ""), kind: .shape)
        }
        let series = named.map { (name: $0.name, xs: xs, ys: $0.ys) }
        return try ChartHandle.render { try Charts.line(series, options: options) }
    }

    /// `scatter(xs, ys, ...)`: a scatter plot.
    static let scatter = Builtin(
        name: "scatter", category: "Charts",
        parameters: [.required("xs", .tensor), .required("ys", .tensor), sizeParameters[0]]
            + labelParameters + Array(sizeParameters[1...]),
        returns: "chart",
        summary: "scatter plot of points (xs[i], ys[i])",
        doc: "`xs` and `ys` are tensors or lists of numbers of the same length. Axis ticks use nice numbers. NaN/Inf "
            + "points are skipped and counted in the title. Errors on a length mismatch or when no point is finite.",
        example: "scatter([1, 2, 3, 4], [2, 1, 4, 3], width: 40, height: 5)",
        output: "  ┌────────────────────────────────────┐\n4 ┤                       ⠈            │\n  │                                   ⠐│\n2 ┤⠂                                   │\n  │            ⠄                       │\n0 ┤                                    │\n  └┬───────────┬──────────┬───────────┬┘\n   1           2          3           4 \n"
    ) { args, context in
        let options = try ChartSettings.options(args, context, names: ["title", "xlabel", "ylabel", "width", "height"])
        let xs = try doubles(args, "xs")
        let ys = try doubles(args, "ys")
        guard xs.count == ys.count else {
            throw args.error("ys", "`ys` expects as many ys as xs, got \(xs.count) xs and \(ys.count) ys", kind: .shape)
        }
        return try ChartHandle.render { try Charts.scatter(xs, ys, options: options) }
    }

    /// `sparkline(xs)`: a one-line chart.
    static let sparkline = Builtin(
        name: "sparkline", category: "Charts",
        parameters: [.required("xs", .tensor)],
        returns: "chart",
        summary: "a one-line chart of the values with the bars ▁▂▃▄▅▆▇█",
        doc: "One character per element, scaled from the min to the max finite value. Errors when no value is finite.",
        example: "sparkline([1, 5, 2, 8])",
        output: "▁▅▂█\n"
    ) { args, _ in
        let values = try doubles(args, "xs")
        return try ChartHandle.render { try Charts.sparkline(values) }
    }

    /// `bar(labels, values, ...)`: a horizontal bar chart.
    static let bar = Builtin(
        name: "bar", category: "Charts",
        parameters: [.required("labels", .either(.list, .record)), .optional("values", .optional(.tensor), .nilValue)] + sizeParameters,
        returns: "chart",
        summary: "horizontal bar chart: labels aligned on the left, bars scaled to the width, values printed after the bars",
        doc: "`labels` is a list (strings, or values shown as they print) with one value per label in `values`; "
            + "or a record `{name: value, ...}` with `values` omitted. Bars are scaled so the longest fills the width "
            + "(default from `charts`, 80). Negative values are drawn left of a zero axis with their value printed right of it. "
            + "NaN/Inf values are skipped and counted in the title. `height` is unused (one row per bar). "
            + "Errors when the counts differ or no value is finite.",
        example: "bar([\"q\", \"k\", \"v\"], [0.5, 0.25, 0.75], width: 30)",
        output: "q ┤███████████████ 0.5        \nk ┤███████ 0.25               \nv ┤██████████████████████ 0.75\n"
    ) { args, context in
        let options = try ChartSettings.options(args, context, names: ["title", "width"])
        let labels: [String]
        let values: [Double]
        switch args["labels"] {
        case .record(let record):
            guard args.isNil("values") else {
                throw args.error("values", "`values` must be omitted when `labels` is a record of name: value")
            }
            labels = Array(record.fields.keys)
            values = try record.fields.values.map { value in
                guard case .number(let n) = value else {
                    throw args.error("labels", "`labels` expects a record of numbers, got a \(value.typeName) field")
                }
                return n
            }
        default:
            guard !args.isNil("values") else { throw args.error("values", "`values` is required when `labels` is a list") }
            labels = try args.list("labels").map(\.printText)
            values = try doubles(args, "values")
        }
        return try ChartHandle.render { try Charts.bar(labels: labels, values: values, options: options) }
    }

    /// `heatmap(t, ...)`: a shaded matrix.
    static let heatmap = Builtin(
        name: "heatmap", category: "Charts",
        parameters: [.required("t", .tensor)] + sizeParameters,
        returns: "chart",
        summary: "a matrix as shaded character cells with a min–max shade legend",
        doc: "One character per entry of a 2-D tensor (1-D: one row), shaded ` ░▒▓█` (ascii ` .:-=+*#%@`) from min to max. "
            + "A matrix larger than `width - 2` columns or `height` rows (defaults 80 and 15 from `charts`) is downsampled "
            + "by averaging blocks, noted in the title. A constant matrix uses the middle shade. NaN/Inf are skipped and "
            + "counted in the title. Errors on an empty tensor, more than 2 dimensions, or no finite value.",
        example: "heatmap([[0, 1, 2, 3], [3, 2, 1, 0]])",
        output: "┌────┐             \n│ ░▓█│             \n│█▓░ │             \n└────┘             \nmin 0 [ ░▒▓█] max 3\n"
    ) { args, context in
        let options = try ChartSettings.options(args, context, names: ["title", "width", "height"])
        let (rows, cols, t) = try matrix(args, "t", builtin: "heatmap")
        let values = t.doubles()
        return try ChartHandle.render { try Charts.heatmap(rows: rows, cols: cols, values: values, options: options) }
    }

    /// `spy(mask, ...)`: the sparsity pattern of a mask.
    static let spy = Builtin(
        name: "spy", category: "Charts",
        parameters: [.required("mask", .tensor)] + sizeParameters,
        returns: "chart",
        summary: "the sparsity pattern of a mask (nonzero entries are kept), titled with shape and sparsity",
        doc: "Like MATLAB's `spy`: every nonzero (true) entry of a 2-D tensor (1-D: one row) is a dot — braille 2×4 entries "
            + "per character, blocks 2×2, ascii `#`/`.` per entry (charset from `charts`). A mask larger than the canvas "
            + "(`width - 2` columns by `height` rows of characters) is downsampled: a cell is blank only when nothing in its "
            + "block is kept, else shaded by the fraction kept. The title reads `spy [rows, cols], sparsity s` "
            + "(fraction of zeros), under `title` if given. Errors on an empty tensor or more than 2 dimensions.",
        example: "spy([[1, 0, 1, 0], [0, 1, 0, 1]], width: 20)",
        output: "spy [2, 4], sparsity 0.50\n┌──┐                     \n│⠑⠑│                     \n└──┘                     \n"
    ) { args, context in
        let options = try ChartSettings.options(args, context, names: ["title", "width", "height"])
        let (rows, cols, t) = try matrix(args, "mask", builtin: "spy")
        let kept: [Bool]
        if case .bool(let flags) = t.data { kept = flags } else { kept = t.doubles().map { $0 != 0 } }
        return try ChartHandle.render { try Charts.spy(rows: rows, cols: cols, kept: kept, options: options) }
    }

    /// The text of one table cell and whether it is a number.
    static func cell(_ value: Value) -> (String, Bool) {
        switch value {
        case .nilValue: return ("", false)
        case .number(let n): return (tableNumber(n), true)
        case .string(let s): return (s, false)
        default: return (value.printText, false)
        }
    }

    /// A number in a table: integers as the language displays them, others with at most
    /// 4 decimals (trailing zeros dropped); very small or very large magnitudes as displayed.
    static func tableNumber(_ n: Double) -> String {
        if !n.isFinite || n == n.rounded() || abs(n) < 1e-4 || abs(n) >= 1e15 { return formatNumber(n) }
        var text = fixedDecimal(n, decimals: 4)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// `table(records | rows, columns: nil)`: an aligned Markdown table.
    static let table = Builtin(
        name: "table", category: "Charts",
        parameters: [.required("data", .either(.list, .tensor)), .optional("columns", .optional(.list), .nilValue)],
        returns: "chart",
        summary: "an aligned, Markdown-compatible table from a list of records or a list of rows",
        doc: "A list of records gives one row per record, columns from the first record's keys in order (or the names in "
            + "`columns`, in that order; missing fields are empty). A list of lists (or a 2-D tensor) gives rows; `columns` "
            + "names them (default `c1`, `c2`, …). Numbers are right-aligned: integers as displayed, others with at most 4 "
            + "decimals (trailing zeros dropped); strings print raw, other values as displayed. `|` in cells is escaped.",
        example: "table([{method: \"magnitude\", ppl: 12.5}, {method: \"wanda\", ppl: 11.2}])",
        output: "| method    |  ppl |\n|-----------|-----:|\n| magnitude | 12.5 |\n| wanda     | 11.2 |\n"
    ) { args, _ in
        var names: [String]? = nil
        if !args.isNil("columns") { names = try args.list("columns").map(\.printText) }
        var grid: [[Value]] = []
        switch args["data"] {
        case .list(let items) where items.allSatisfy({ if case .record = $0 { return true } else { return false } }) && !items.isEmpty:
            let records: [Record] = items.compactMap { if case .record(let r) = $0 { return r } else { return nil } }
            let keys = names ?? Array(records[0].fields.keys)
            names = keys
            grid = records.map { record in keys.map { record[$0] ?? .nilValue } }
        case .list(let items):
            grid = try items.map { item in
                switch item {
                case .list(let row): return row
                case .tensor(let t) where t.ndim == 1: return t.doubles().map { .number($0) }
                default: throw args.error("data", "`data` expects a list of records or a list of lists, got a \(item.typeName) row")
                }
            }
        case .tensor(let t):
            guard t.ndim == 2 else { throw args.error("data", "`data` expects a 2-D tensor, got shape \(formatShape(t.shape))", kind: .shape) }
            let values = t.doubles()
            let cols = t.shape[1]
            grid = (0..<t.shape[0]).map { r in (0..<cols).map { .number(values[r * cols + $0]) } }
        case let other:
            throw args.error("data", "`data` expects a list of records or rows, got \(other.typeName)")
        }
        let width = max(names?.count ?? 0, grid.map(\.count).max() ?? 0)
        let columns = names ?? (0..<width).map { "c\($0 + 1)" }
        let cells = grid.map { $0.map(cell) }
        let numeric = (0..<width).map { c in
            var any = false
            for row in cells where c < row.count && !row[c].0.isEmpty {
                if !row[c].1 { return false }
                any = true
            }
            return any
        }
        return .handle(ChartHandle(text: Charts.table(columns: columns, rows: cells.map { $0.map(\.0) }, numeric: numeric)))
    }

    /// `charts(charset:, width:, height:)`: the run's chart settings.
    static let charts = Builtin(
        name: "charts", category: "Charts",
        parameters: [.optional("charset", .optional(.choice(["braille", "blocks", "ascii"])), .nilValue),
                     .optional("width", .optional(.integer), .nilValue),
                     .optional("height", .optional(.integer), .nilValue)],
        returns: "nil",
        summary: "set the charset (\"braille\", \"blocks\", \"ascii\"), width and height of the charts that follow",
        doc: "Settings last for the rest of the run (a notebook run starts again from braille, 80 columns, 15 rows, "
            + "whatever the terminal). Arguments left nil keep their current value. Width 10–1000, height 1–500.",
        example: "charts(charset: \"ascii\")\nspy([[1, 0], [0, 1]])",
        output: "spy [2, 2], sparsity 0.50\n+--+                     \n|#.|                     \n|.#|                     \n+--+                     \n"
    ) { args, context in
        var settings = ChartSettings.current(context)
        if !args.isNil("charset") {
            let name = try args.string("charset")
            guard let charset = Charset(rawValue: name) else {
                throw args.error("charset", "`charset` must be \"braille\", \"blocks\" or \"ascii\", got \"\(name)\"", kind: .value)
            }
            settings.charset = charset
        }
        let options = try ChartSettings.options(args, context, names: ["width", "height"])
        settings.width = options.width
        settings.height = options.height
        ChartSettings.store(settings, in: context)
        return .nilValue
    }
}
