import Foundation
import Testing

/// Compares a rendered chart with `References/<chart>/<case>.txt` next to this file.
/// With `RECORD_SNAPSHOTS=1` in the environment the reference is (re)written and an issue
/// says so; a missing reference otherwise fails with how to record it. Every check also
/// verifies that all lines have the same Character count, that there is no ESC byte, and for
/// braille charts that the inside of the frame holds only braille patterns and spaces.
enum GoldenFile {
    static func check(_ rendered: String, chart: String, case name: String, braille: Bool = false,
                      sourceLocation: SourceLocation = #_sourceLocation) {
        for problem in shapeProblems(rendered, braille: braille) + referenceProblems(rendered, chart: chart, case: name) {
            Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
        }
    }

    /// Equal line widths, no ESC, and braille-only plot cells for braille charts.
    static func checkShape(_ rendered: String, braille: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        for problem in shapeProblems(rendered, braille: braille) {
            Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
        }
    }

    /// What is wrong with `rendered` compared with its reference file (recording it first
    /// under `RECORD_SNAPSHOTS=1`); empty when it matches.
    static func referenceProblems(_ rendered: String, chart: String, case name: String) -> [String] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("References").appendingPathComponent(chart).appendingPathComponent("\(name).txt")
        let text = rendered + "\n"
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
                return ["recorded reference \(chart)/\(name).txt; run again without RECORD_SNAPSHOTS to compare"]
            } catch {
                return ["could not record \(url.path): \(error)"]
            }
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            return ["missing reference \(chart)/\(name).txt; record it with RECORD_SNAPSHOTS=1 swift test --filter \(chart)"]
        }
        if expected != text {
            return ["\(chart)/\(name) differs from its reference\n--- expected\n\(expected)--- got\n\(text)"]
        }
        return []
    }

    /// The shape rules a rendering breaks: unequal line widths, an ESC byte, non-braille
    /// characters inside a braille chart's frame.
    static func shapeProblems(_ rendered: String, braille: Bool) -> [String] {
        var problems: [String] = []
        let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        let widths = lines.map { $0.count }
        if Set(widths).count != 1 { problems.append("lines differ in width: \(widths)") }
        if rendered.unicodeScalars.contains("\u{1B}") { problems.append("chart contains an ESC byte") }
        guard braille else { return problems }
        for line in lines {
            let chars = Array(line)
            guard let open = chars.firstIndex(where: { $0 == "│" || $0 == "┤" }),
                  let close = chars.lastIndex(of: "│"), close > open else { continue }
            for c in chars[(open + 1)..<close]
            where !c.unicodeScalars.allSatisfy({ $0 == " " || (0x2800...0x28FF).contains($0.value) }) {
                problems.append("non-braille character \(c) inside the frame: \(line)")
            }
        }
        return problems
    }
}

/// SplitMix64: a small deterministic generator for test data.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1].
    mutating func unit() -> Double { (Double(next() >> 11) + 1) / 9_007_199_254_740_992 }

    /// `count` standard normal values by Box–Muller.
    static func normals(_ count: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(state: seed)
        var result: [Double] = []
        while result.count < count {
            let r = (-2 * log(rng.unit())).squareRoot()
            let theta = 2 * Double.pi * rng.unit()
            result.append(r * cos(theta))
            if result.count < count { result.append(r * sin(theta)) }
        }
        return result
    }
}
