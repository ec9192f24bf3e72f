/// One piece of a cell output as replay compares it.
enum OutputToken: Equatable {
    /// Text that is neither a number nor a duration, compared exactly.
    case text(String)
    /// A number token, compared with a tolerance (or exactly when both sides are integers).
    case number(NumberToken)
    /// A duration such as `~12.3 ms`: it matches any other duration.
    case duration

    /// Whether a run of spaces next to this token may have any length.
    var padsWithSpaces: Bool {
        switch self {
        case .text: false
        case .number, .duration: true
        }
    }
}

/// A number as written in an output, with what the comparison needs to know about it.
struct NumberToken: Equatable {
    /// The token exactly as written, sign included (`-0.5`, `1.2e-05`, `3.`).
    let text: String
    /// True when the token has neither a `.` nor an exponent (counts, shapes, indices).
    let isInteger: Bool
}

/// Splits an output into text runs, number tokens and durations, in one linear pass.
///
/// Grammar (notebook.md "Replay"):
/// ```
/// number   = [-+]? ( digit+ "."? digit* | "." digit+ ) ( [eE] [-+]? digit+ )?
/// duration = "~" number " "* unit          unit = ns | µs | μs | us | ms | s | min | h
/// ```
/// A number token is not preceded by a letter, a digit or `_`, nor by a `.` that is itself preceded by one
/// of those: digits inside identifiers and dotted paths (`w2`, `x_1`, `layers.0.wq`) are text. A duration's
/// unit must end the word (`~3 samples` is the text `~`, the number `3` and the text ` samples`).
/// Hand-written rather than a regular expression, so no input can make it backtrack.
struct NumberTokenizer {
    private let scalars: [Unicode.Scalar]

    /// Units a timing builtin may print after `~<number>`.
    private static let durationUnits: [[Unicode.Scalar]] = ["ns", "µs", "μs", "us", "ms", "s", "min", "h"]
        .map { Array($0.unicodeScalars) }

    init(_ text: some StringProtocol) {
        scalars = Array(text.unicodeScalars)
    }

    /// The tokens of the text, in order; adjacent text is always merged into one `.text` token.
    func tokens() -> [OutputToken] {
        var result: [OutputToken] = []
        var textStart = 0
        var index = 0
        func flushText(upTo end: Int) {
            if end > textStart { result.append(.text(string(textStart..<end))) }
        }
        while index < scalars.count {
            if scalars[index] == "~", let end = durationEnd(afterTilde: index) {
                flushText(upTo: index)
                result.append(.duration)
                index = end
                textStart = end
            } else if mayStartNumber(at: index), let number = numberEnd(from: index) {
                flushText(upTo: index)
                result.append(.number(NumberToken(text: string(index..<number.end), isInteger: number.isInteger)))
                index = number.end
                textStart = index
            } else {
                index += 1
            }
        }
        flushText(upTo: scalars.count)
        return result
    }

    /// True when the scalar before `index` allows a number token to start there.
    private func mayStartNumber(at index: Int) -> Bool {
        guard index > 0 else { return true }
        let previous = scalars[index - 1]
        if Self.isWordScalar(previous) { return false }
        if previous == ".", index > 1, Self.isWordScalar(scalars[index - 2]) { return false }
        return true
    }

    /// The end of the number token starting at `start`, or nil when none starts there.
    private func numberEnd(from start: Int) -> (end: Int, isInteger: Bool)? {
        var index = start
        if index < scalars.count, scalars[index] == "-" || scalars[index] == "+" { index += 1 }
        var isInteger = true
        if index < scalars.count, Self.isASCIIDigit(scalars[index]) {
            index = digitsEnd(from: index)
            if index < scalars.count, scalars[index] == "." {
                isInteger = false
                index = digitsEnd(from: index + 1)
            }
        } else if index + 1 < scalars.count, scalars[index] == ".", Self.isASCIIDigit(scalars[index + 1]) {
            isInteger = false
            index = digitsEnd(from: index + 1)
        } else {
            return nil
        }
        if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
            var exponent = index + 1
            if exponent < scalars.count, scalars[exponent] == "-" || scalars[exponent] == "+" { exponent += 1 }
            let exponentEnd = digitsEnd(from: exponent)
            if exponentEnd > exponent {
                isInteger = false
                index = exponentEnd
            }
        }
        return (index, isInteger)
    }

    /// The end of the duration whose `~` is at `tilde`, or nil when no number and unit follow it.
    private func durationEnd(afterTilde tilde: Int) -> Int? {
        guard let number = numberEnd(from: tilde + 1) else { return nil }
        var unitStart = number.end
        while unitStart < scalars.count, scalars[unitStart] == " " { unitStart += 1 }
        var unitEnd = unitStart
        while unitEnd < scalars.count, Self.isWordScalar(scalars[unitEnd]) { unitEnd += 1 }
        let unit = scalars[unitStart..<unitEnd]
        guard Self.durationUnits.contains(where: { $0.elementsEqual(unit) }) else { return nil }
        return unitEnd
    }

    private func digitsEnd(from start: Int) -> Int {
        var index = start
        while index < scalars.count, Self.isASCIIDigit(scalars[index]) { index += 1 }
        return index
    }

    private func string(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        return String(view)
    }

    private static func isASCIIDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x30 && scalar.value <= 0x39
    }

    /// A letter, a digit or `_`: a scalar that can be part of an identifier.
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A)
                || (value >= 0x61 && value <= 0x7A) || value == 0x5F
        }
        return scalar.properties.isAlphabetic || scalar.properties.generalCategory == .decimalNumber
    }
}
