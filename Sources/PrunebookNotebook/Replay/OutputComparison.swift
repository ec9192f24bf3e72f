/// How `prunebook replay` decides whether a cell's new output matches the stored one (notebook.md "Replay").
///
/// Choices the spec leaves open, made here:
/// - A missing final newline on either side is ignored (`"a\n"` matches `"a"`); any other newline
///   difference is a difference.
/// - "A run of spaces next to a number token matches a run of any length" includes the empty run, so a
///   sign that eats a padding space (`[ 1e-07]` vs `[-1e-07]`) still lines up. Only U+0020 counts as a space.
///   Durations pad like numbers.
/// - Digits inside identifiers and dotted paths (`w2`, `x_1`, `layers.0.wq`) are text, not number tokens.
/// - Two integers (no `.`, no exponent) are equal only when their values are equal, at any size (`007` = `7`,
///   `-0` = `0`). `nan` and `inf` are text; a token beyond the range of a Double (`1e999`) equals only itself.
public enum OutputComparison {
    /// True when `actual` matches the stored `expected` per notebook.md "Replay": non-number text equal (a run of spaces
    /// next to a number token matches a run of any length); number tokens `[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?` not
    /// preceded by a letter, digit or `_`; pairs where both are integers (no `.`, no exponent) compared exactly; others
    /// |a-b| <= atol + rtol*|b| (b = expected); durations (a `~` directly before a number token and its unit word, e.g.
    /// `~12.3 ms`, `~1.2 µs`, `~3 s`) ignored entirely.
    ///
    /// Linear in the length of the texts.
    public static func matches(expected: String, actual: String, rtol: Double = 1e-3, atol: Double = 1e-6) -> Bool {
        let expected = droppingFinalNewline(expected)
        let actual = droppingFinalNewline(actual)
        if expected == actual { return true }
        let expectedTokens = comparable(NumberTokenizer(expected).tokens())
        let actualTokens = comparable(NumberTokenizer(actual).tokens())
        guard expectedTokens.count == actualTokens.count else { return false }
        for (stored, new) in zip(expectedTokens, actualTokens) {
            switch (stored, new) {
            case let (.text(storedText), .text(newText)):
                if storedText != newText { return false }
            case let (.number(storedNumber), .number(newNumber)):
                if !numbersMatch(expected: storedNumber, actual: newNumber, rtol: rtol, atol: atol) { return false }
            case (.duration, .duration):
                continue
            default:
                return false
            }
        }
        return true
    }

    /// For `prb error` cells: the stored error text is a prefix of the new one (after trimming trailing whitespace).
    ///
    /// Both texts lose their trailing whitespace (spaces, tabs, newlines) first; the prefix test is then exact
    /// (no number tolerance), so an empty stored text matches any error.
    public static func errorMatches(expected: String, actual: String) -> Bool {
        trimmingTrailingWhitespace(actual).hasPrefix(trimmingTrailingWhitespace(expected))
    }

    /// A unified diff (`--- stored` / `+++ new` headers naming `label`, `@@` hunks with 3 lines of context) of two texts.
    ///
    /// Empty when the two texts have the same lines (a missing final newline is not a difference). Hunk headers
    /// always carry both counts; an empty side starts at line 0, as in GNU diff; changes at most six unchanged
    /// lines apart share a hunk; within a change, stored lines come before new ones.
    public static func unifiedDiff(expected: String, actual: String, label: String) -> String {
        UnifiedDiff(expected: expected, actual: actual, label: label).rendered()
    }

    /// The tokens with the spaces next to numbers and durations removed and emptied text dropped.
    private static func comparable(_ tokens: [OutputToken]) -> [OutputToken] {
        var result: [OutputToken] = []
        result.reserveCapacity(tokens.count)
        for (position, token) in tokens.enumerated() {
            guard case .text(let text) = token else {
                result.append(token)
                continue
            }
            var scalars = Substring(text).unicodeScalars
            if position > 0, tokens[position - 1].padsWithSpaces {
                scalars = scalars.drop(while: { $0 == " " })
            }
            if position + 1 < tokens.count, tokens[position + 1].padsWithSpaces {
                scalars = droppingLast(of: scalars, while: { $0 == " " })
            }
            if !scalars.isEmpty { result.append(.text(String(scalars))) }
        }
        return result
    }

    private static func numbersMatch(expected: NumberToken, actual: NumberToken, rtol: Double, atol: Double) -> Bool {
        if expected.isInteger && actual.isInteger {
            return IntegerValue(expected.text) == IntegerValue(actual.text)
        }
        // A token too large for a Double (`1e999`) is only equal to itself.
        guard let b = Double(expected.text), let a = Double(actual.text), a.isFinite, b.isFinite else {
            return expected.text == actual.text
        }
        return a == b || abs(a - b) <= atol + rtol * abs(b)
    }

    private static func droppingFinalNewline(_ text: String) -> Substring {
        let scalars = Substring(text).unicodeScalars
        return Substring(scalars.last == "\n" ? scalars.dropLast() : scalars)
    }

    private static func trimmingTrailingWhitespace(_ text: String) -> Substring {
        Substring(droppingLast(of: Substring(text).unicodeScalars, while: { $0.properties.isWhitespace }))
    }

    /// `scalars` without its longest suffix whose scalars all satisfy `predicate`, in O(suffix length).
    private static func droppingLast(
        of scalars: Substring.UnicodeScalarView, while predicate: (Unicode.Scalar) -> Bool
    ) -> Substring.UnicodeScalarView {
        var end = scalars.endIndex
        while end > scalars.startIndex {
            let previous = scalars.index(before: end)
            guard predicate(scalars[previous]) else { break }
            end = previous
        }
        return scalars[scalars.startIndex..<end]
    }
}

/// The exact value of an integer token, as a sign and its digits without leading zeros.
private struct IntegerValue: Equatable {
    let isNegative: Bool
    let digits: Substring

    init(_ text: String) {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        rest = rest.drop(while: { $0 == "0" })
        isNegative = negative && !rest.isEmpty
        digits = rest
    }
}
