import PrunebookLanguage

/// The `:vars` table: one row per user variable (not builtins or stdlib functions) in
/// definition order, with columns name, type, shape and size, aligned.
///
/// - type: `type(x)`, with the element type for tensors (`tensor f32`).
/// - shape: a tensor's shape `[8, 16]`, a list's length `[3]`, a record's field count
///   `{2 fields}`, a string's length in characters `[5]`; `-` for everything else.
/// - size: `Value.byteCount` (what `nbytes` returns) as `formatByteCount` shows it; `-`
///   for functions, ranges and handles without a size.
enum Vars {
    /// The table for `names` (already filtered to user variables) read from `lookup`, or a
    /// one-line message when there are none.
    static func table(_ names: [String], lookup: (String) -> Value?) -> String {
        let rows: [[String]] = names.compactMap { name in
            guard let value = lookup(name) else { return nil }
            return [name, typeText(value), shapeText(value), value.byteCount.map(formatByteCount) ?? "-"]
        }
        guard !rows.isEmpty else { return "no variables defined yet\n" }
        let all = [["name", "type", "shape", "size"]] + rows
        let widths = (0..<4).map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            let cells = row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            return cells.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// `type(x)`, with the dtype for tensors.
    static func typeText(_ value: Value) -> String {
        if case .tensor(let t) = value { return "tensor \(t.dtype.rawValue)" }
        return value.typeName
    }

    /// The shape column.
    static func shapeText(_ value: Value) -> String {
        switch value {
        case .tensor(let t): return "[" + t.shape.map(String.init).joined(separator: ", ") + "]"
        case .list(let items): return "[\(items.count)]"
        case .string(let s): return "[\(s.count)]"
        case .record(let r): return r.fields.count == 1 ? "{1 field}" : "{\(r.fields.count) fields}"
        default: return "-"
        }
    }
}
