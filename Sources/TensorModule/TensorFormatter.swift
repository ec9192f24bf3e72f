import RealModule

/// The display form of a tensor, stable across machines so notebook replays compare:
///
/// ```
/// tensor([[ 1.5000, -2.0000],
///         [ 3.2500,  4.0000]], f32)
/// ```
///
/// Rules:
/// - Layout follows NumPy's `array_repr`: `tensor(` + nested brackets + `, <dtype>)`; rows of
///   a 2-D block on separate lines aligned under the first row, blocks of higher axes separated
///   by `ndim − axis − 1` blank-line-producing newlines; long 1-D rows wrap to stay within
///   `maxWidth` columns, continuing under the first element.
/// - Elision: when the tensor has more than 1000 elements, every axis longer than 6 shows its
///   first 3 and last 3 entries with `...` between.
/// - Numbers: the format is chosen from the displayed elements. bool prints `true`/`false`,
///   i32 as integers. f32: if every finite value is integral and below 1e8 in magnitude they
///   print as integers (`tensor([1, 2], f32)`); otherwise with 4 fixed decimals (`1.5000`),
///   unless the largest finite magnitude is ≥ 1e8, the smallest nonzero one is < 1e-4, or
///   their ratio exceeds 1e3, in which case scientific with 4 decimals (`1.2346e-05`,
///   exponent with a sign and at least two digits). Decimals are rounded half away from
///   zero, computed by hand from IEEE arithmetic (no locale, no `String(format:)`); zero never
///   shows a minus sign. nan and infinities print `nan`, `inf`, `-inf`.
/// - Every element is right-aligned to the width of the widest one.
/// - 0-d: `tensor(3.5, f32)`, the value in shortest round-trip form (integral values
///   without a decimal point). Empty: `tensor([], shape=[0, 3], f32)`.
public func formatTensor(_ t: Tensor, maxWidth: Int = 80) -> String {
    let suffix = ", \(t.dtype.rawValue))"
    let prefix = "tensor("
    if t.ndim == 0 {
        return prefix + formatScalarElement(t) + suffix
    }
    if t.count == 0 {
        return prefix + "[], shape=\(formatShape(t.shape))" + suffix
    }
    let summarize = t.count > summaryThreshold
    let shown = displayedIndices(t.shape, summarize: summarize)
    let words = formatElements(t, shown)
    var layout = TensorLayout(shape: t.shape, summarize: summarize, words: words)
    let hanging = String(repeating: " ", count: prefix.count + 1)
    return prefix + layout.render(axis: 0, hanging: hanging, width: maxWidth - suffix.count) + suffix
}

/// NumPy's summarisation constants: elide beyond this many elements, keeping this many
/// entries at each end of a long axis.
private let summaryThreshold = 1000
private let edgeItems = 3

/// The flat indices of the displayed elements, in display order.
private func displayedIndices(_ shape: [Int], summarize: Bool) -> [Int] {
    let strides = Tensor.strides(of: shape)
    var result: [Int] = []
    func walk(_ axis: Int, _ base: Int) {
        if axis == shape.count {
            result.append(base)
            return
        }
        let n = shape[axis]
        let picks = summarize && n > 2 * edgeItems
            ? Array(0..<edgeItems) + Array((n - edgeItems)..<n)
            : Array(0..<n)
        for i in picks { walk(axis + 1, base + i * strides[axis]) }
    }
    walk(0, 0)
    return result
}

/// The displayed elements as strings, right-aligned to one common width.
private func formatElements(_ t: Tensor, _ shown: [Int]) -> [String] {
    let raw: [String]
    switch t.data {
    case .bool(let a): raw = shown.map { a[$0] ? "true" : "false" }
    case .i32(let a): raw = shown.map { String(a[$0]) }
    case .f32(let a):
        let values = shown.map { a[$0] }
        let style = FloatStyle(values)
        raw = values.map { style.format($0) }
    }
    let width = raw.reduce(0) { Swift.max($0, $1.utf8.count) }
    return raw.map { String(repeating: " ", count: width - $0.utf8.count) + $0 }
}

/// The number format shared by all displayed f32 elements.
private enum FloatStyle {
    case integer, fixed, scientific

    /// The style the rules in `formatTensor`'s doc pick for `values`.
    init(_ values: [Float]) {
        var maxAbs: Float = 0
        var minNonzero = Float.infinity
        var integral = true
        for v in values where v.isFinite {
            let a = Swift.abs(v)
            maxAbs = Swift.max(maxAbs, a)
            if a != 0 { minNonzero = Swift.min(minNonzero, a) }
            if v.rounded(.towardZero) != v { integral = false }
        }
        if integral && maxAbs < 1e8 {
            self = .integer
        } else if maxAbs >= 1e8 || minNonzero < 1e-4 || maxAbs / minNonzero > 1e3 {
            self = .scientific
        } else {
            self = .fixed
        }
    }

    /// `v` in this style.
    func format(_ v: Float) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        switch self {
        case .integer: return String(Int64(v))
        case .fixed: return formatFixed4(Double(v))
        case .scientific: return formatScientific4(Double(v))
        }
    }
}

/// `v` with exactly four decimals, rounded half away from zero. Exact for f32 inputs below
/// 1e8: an f32 significand (24 bits) times 10⁴ (14 bits) fits a Double exactly.
func formatFixed4(_ v: Double) -> String {
    let scaled = (v * 10_000).rounded(.toNearestOrAwayFromZero)
    let m = Int64(Swift.abs(scaled))
    let fraction = String(m % 10_000)
    return (scaled < 0 ? "-" : "") + String(m / 10_000) + "."
        + String(repeating: "0", count: 4 - fraction.count) + fraction
}

/// `v` as `d.dddde±XX`, the mantissa rounded half away from zero to four decimals.
func formatScientific4(_ v: Double) -> String {
    let a = Swift.abs(v)
    if a == 0 { return "0.0000e+00" }
    var e = Int(Double.log10(a).rounded(.down))
    var m = scaledMantissa(a, e)
    // log10 only guesses the exponent; settle it exactly so libm differences cannot show.
    for _ in 0..<4 {
        if m >= 100_000 {
            e += 1
        } else if m < 10_000 {
            e -= 1
        } else {
            break
        }
        m = scaledMantissa(a, e)
    }
    let digits = String(Int64(m))
    let exponent = String(Swift.abs(e))
    return (v < 0 ? "-" : "") + String(digits.prefix(1)) + "." + String(digits.dropFirst())
        + "e" + (e < 0 ? "-" : "+") + (exponent.count < 2 ? "0" : "") + exponent
}

/// `a · 10^(4 − e)` rounded half away from zero: the five significant digits of `a` when `e`
/// is its decimal exponent.
private func scaledMantissa(_ a: Double, _ e: Int) -> Double {
    let k = 4 - e
    let scaled = k >= 0 ? a * powerOfTen(k) : a / powerOfTen(-k)
    return scaled.rounded(.toNearestOrAwayFromZero)
}

/// 10^k for k ≥ 0 by repeated multiplication (exact up to 10²²), deterministic under IEEE.
private func powerOfTen(_ k: Int) -> Double {
    var p = 1.0
    for _ in 0..<k { p *= 10 }
    return p
}

/// The single element of a 0-d tensor: integral values without a decimal point, other f32
/// values in Swift's shortest round-trip form.
private func formatScalarElement(_ t: Tensor) -> String {
    switch t.data {
    case .bool(let a): return a[0] ? "true" : "false"
    case .i32(let a): return String(a[0])
    case .f32(let a):
        let v = a[0]
        if v.isNaN { return "nan" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        if v.rounded(.towardZero) == v && Swift.abs(v) < 9.007_199e15 { return String(Int64(v)) }
        return v.description
    }
}

/// NumPy's `_formatArray` recursion over pre-formatted element strings, consumed in display
/// order.
private struct TensorLayout {
    let shape: [Int]
    let summarize: Bool
    let words: [String]
    var next = 0

    /// A layout of `shape` over the displayed elements' strings `words`.
    init(shape: [Int], summarize: Bool, words: [String]) {
        self.shape = shape
        self.summarize = summarize
        self.words = words
    }

    /// The bracketed text of the sub-tensor at `axis`; continuation lines start with
    /// `hanging`; lines stay within `width` columns where wrapping helps.
    mutating func render(axis: Int, hanging: String, width: Int) -> String {
        let axesLeft = shape.count - axis
        if axesLeft == 0 {
            defer { next += 1 }
            return words[next]
        }
        let nextHanging = hanging + " "
        let nextWidth = width - 1
        let n = shape[axis]
        let elide = summarize && 2 * edgeItems < n
        let leading = elide ? edgeItems : 0
        let trailing = elide ? edgeItems : n
        var s = ""
        if axesLeft == 1 {
            let elemWidth = width - 1
            var line = hanging
            for _ in 0..<leading {
                let word = render(axis: axis + 1, hanging: nextHanging, width: nextWidth)
                extendLine(&s, &line, word, elemWidth, hanging)
                line += ", "
            }
            if elide {
                extendLine(&s, &line, "...", elemWidth, hanging)
                line += ", "
            }
            for _ in 1..<trailing {
                let word = render(axis: axis + 1, hanging: nextHanging, width: nextWidth)
                extendLine(&s, &line, word, elemWidth, hanging)
                line += ", "
            }
            let word = render(axis: axis + 1, hanging: nextHanging, width: nextWidth)
            extendLine(&s, &line, word, elemWidth, hanging)
            s += line
        } else {
            let lineSeparator = "," + String(repeating: "\n", count: axesLeft - 1)
            for _ in 0..<leading {
                s += hanging + render(axis: axis + 1, hanging: nextHanging, width: nextWidth) + lineSeparator
            }
            if elide { s += hanging + "..." + lineSeparator }
            for _ in 1..<trailing {
                s += hanging + render(axis: axis + 1, hanging: nextHanging, width: nextWidth) + lineSeparator
            }
            s += hanging + render(axis: axis + 1, hanging: nextHanging, width: nextWidth)
        }
        return "[" + s.dropFirst(hanging.count) + "]"
    }

    /// Appends `word` to `line`, first moving `line` into `s` and starting a new line at
    /// `prefix` when the word would pass `width` and wrapping would help.
    private func extendLine(_ s: inout String, _ line: inout String, _ word: String, _ width: Int, _ prefix: String) {
        let needsWrap = line.utf8.count + word.utf8.count > width && line.utf8.count > prefix.utf8.count
        if needsWrap {
            while line.last == " " { line.removeLast() }
            s += line + "\n"
            line = prefix
        }
        line += word
    }
}
