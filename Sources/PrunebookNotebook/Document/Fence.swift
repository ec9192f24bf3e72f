/// A code fence: three or more backticks or tildes at the start of a line, followed by an
/// info string. Grammar (notebook.md "Parsing rules"):
///
///     opening := marker{3,} info      marker := "`" | "~"   (a backtick info has no "`")
///     closing := marker{n,} (" " | "\t")*                  n = the opening's length
struct Fence: Sendable, Equatable {
    /// The fence character, `` ` `` or `~`.
    let marker: Unicode.Scalar
    /// How many markers open the fence.
    let length: Int
    /// Everything on the opening line after the markers.
    let info: String

    /// The fence opened by `line`, or nil when the line does not open one.
    init?(opening line: String) {
        let scalars = line.unicodeScalars
        guard let first = scalars.first, first == "`" || first == "~" else { return nil }
        let run = Fence.leadingRun(of: first, in: scalars)
        guard run >= 3 else { return nil }
        var info = ""
        info.unicodeScalars.append(contentsOf: scalars.dropFirst(run))
        if first == "`" && info.unicodeScalars.contains("`") { return nil }
        self.init(marker: first, length: run, info: info)
    }

    /// A fence of `length` markers with `info`.
    init(marker: Unicode.Scalar, length: Int, info: String) {
        self.marker = marker
        self.length = length
        self.info = info
    }

    /// The first word of the info string (`prb`, `output`, `python`, ...), or "".
    var infoWord: String { infoWords.first ?? "" }

    /// The words of the info string, split on spaces and tabs.
    var infoWords: [String] {
        info.unicodeScalars.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { word in
            var text = ""
            text.unicodeScalars.append(contentsOf: word)
            return text
        }
    }

    /// True when `line` closes this fence: at least `length` of the same marker, then only
    /// spaces and tabs.
    func isClosed(by line: String) -> Bool {
        let scalars = line.unicodeScalars
        let run = Fence.leadingRun(of: marker, in: scalars)
        guard run >= length else { return false }
        return scalars.dropFirst(run).allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// True when `content` (lines ending in `\n`) can sit inside this fence as written: for
    /// backticks, the fence is longer than every backtick run inside; for tildes, no
    /// content line would close it.
    func canEnclose(_ content: String) -> Bool {
        if marker == "`" { return length > Fence.longestBacktickRun(in: content) }
        return !NotebookLine.split(content).contains { isClosed(by: $0.text) }
    }

    /// The backtick count of a fence that can hold `content`: longer than the longest run of
    /// backticks inside, and at least 3.
    static func backtickLength(toEnclose content: String) -> Int {
        max(3, longestBacktickRun(in: content) + 1)
    }

    /// The longest run of consecutive backticks in `text`.
    static func longestBacktickRun(in text: String) -> Int {
        var longest = 0
        var current = 0
        for scalar in text.unicodeScalars {
            current = scalar == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }

    /// How many `scalar`s `scalars` starts with.
    private static func leadingRun(of scalar: Unicode.Scalar, in scalars: String.UnicodeScalarView) -> Int {
        var count = 0
        for s in scalars {
            guard s == scalar else { break }
            count += 1
        }
        return count
    }
}
