/// A line-based unified diff of a stored output and a new one, as `prunebook replay` prints it.
///
/// ```
/// --- stored (<label>)
/// +++ new (<label>)
/// @@ -a,b +c,d @@
///  context line
/// -stored line
/// +new line
/// ```
/// Every hunk header carries both counts (also when a count is 1). A range of zero lines starts at the line
/// before it, as in GNU diff (`@@ -0,0 +1,2 @@` for lines added to an empty text). Changes separated by at most
/// six unchanged lines share a hunk. Lines are split on `\n` only; a missing final newline is not a difference
/// (replay ignores it too), so two texts with the same lines give an empty string. Every line of the diff,
/// the last included, ends with `\n`.
struct UnifiedDiff {
    /// Unchanged lines shown before and after each change.
    static let contextLines = 3

    let expected: String
    let actual: String
    let label: String

    /// The diff, or the empty string when the texts have the same lines.
    func rendered() -> String {
        let oldLines = Self.lines(of: expected)
        let newLines = Self.lines(of: actual)
        var ids: [String: Int] = [:]
        func id(_ line: String) -> Int {
            if let known = ids[line] { return known }
            let next = ids.count
            ids[line] = next
            return next
        }
        let edits = LineDiff.edits(old: oldLines.map(id), new: newLines.map(id))
        let hunks = Self.hunks(of: edits)
        guard !hunks.isEmpty else { return "" }
        var output = "--- stored (\(label))\n+++ new (\(label))\n"
        for hunk in hunks {
            output += header(of: edits[hunk])
            for edit in edits[hunk] {
                switch edit {
                case .keep(let oldIndex, _): output += " \(oldLines[oldIndex])\n"
                case .delete(let oldIndex): output += "-\(oldLines[oldIndex])\n"
                case .insert(let newIndex): output += "+\(newLines[newIndex])\n"
                }
            }
        }
        return output
    }

    /// The `@@ -a,b +c,d @@` line of a hunk.
    private func header(of hunk: ArraySlice<LineDiff.Edit>) -> String {
        var oldFirst: Int?, newFirst: Int?
        var oldCount = 0, newCount = 0
        for edit in hunk {
            switch edit {
            case .keep(let oldIndex, let newIndex):
                oldFirst = oldFirst ?? oldIndex
                newFirst = newFirst ?? newIndex
                oldCount += 1
                newCount += 1
            case .delete(let oldIndex):
                oldFirst = oldFirst ?? oldIndex
                oldCount += 1
            case .insert(let newIndex):
                newFirst = newFirst ?? newIndex
                newCount += 1
            }
        }
        // Context lines are kept on both sides, so a side has no line in a hunk only when that whole text is
        // empty: its range is then the one before line 1.
        let oldStart = oldFirst.map { $0 + 1 } ?? 0
        let newStart = newFirst.map { $0 + 1 } ?? 0
        return "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n"
    }

    /// The ranges of `edits` shown as hunks: each change with its context, overlapping ones merged.
    private static func hunks(of edits: [LineDiff.Edit]) -> [Range<Int>] {
        var hunks: [Range<Int>] = []
        var index = 0
        while index < edits.count {
            guard case .keep = edits[index] else {
                var changeEnd = index
                while changeEnd < edits.count, !isKeep(edits[changeEnd]) { changeEnd += 1 }
                let start = max(0, index - contextLines)
                let end = min(edits.count, changeEnd + contextLines)
                if let last = hunks.last, last.upperBound >= start {
                    hunks[hunks.count - 1] = last.lowerBound..<end
                } else {
                    hunks.append(start..<end)
                }
                index = changeEnd
                continue
            }
            index += 1
        }
        return hunks
    }

    private static func isKeep(_ edit: LineDiff.Edit) -> Bool {
        if case .keep = edit { return true }
        return false
    }

    /// The lines of a text split on `\n`; a final `\n` ends the last line rather than starting an empty one.
    static func lines(of text: String) -> [String] {
        if text.isEmpty { return [] }
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        if text.utf8.last == UInt8(ascii: "\n") { lines.removeLast() }
        return lines
    }
}
