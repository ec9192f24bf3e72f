import CReadline

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Readline's `rl_attempted_completion_function`: asks the session for candidates at the
/// cursor and returns them the way `rl_completion_matches` would (a malloc'd,
/// NULL-terminated array: the common prefix first, then the matches; readline frees it).
/// Filename completion is switched off, and no space is appended (candidates such as
/// `keep: ` carry their own punctuation).
func attemptCompletion(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    prb_rl_set_attempted_completion_over(1)
    prb_rl_set_completion_suppress_append(1)
    guard let session = ReadlineBox.shared.session, let buffer = prb_rl_line_buffer() else { return nil }
    let bytes = Array(UnsafeBufferPointer(start: buffer, count: strlen(buffer)).map { UInt8(bitPattern: $0) })
    let cursorByte = min(max(Int(prb_rl_point()), 0), bytes.count)
    let wordStart = min(max(Int(start), 0), cursorByte)
    let line = String(decoding: bytes, as: UTF8.self)
    let cursor = String(decoding: bytes[..<cursorByte], as: UTF8.self).count
    let answer = session.completions(line: line, cursor: cursor)
    let sessionStart = min(line.prefix(max(answer.start, 0)).utf8.count, cursorByte)
    let matches = CompletionMatches.aligned(answer.candidates, sessionStart: sessionStart,
                                            readlineStart: wordStart, line: bytes)
    return CompletionMatches.cArray(matches)
}

/// Converting the session's candidates to what readline expects.
enum CompletionMatches {
    /// Rewrites candidates that replace `line[sessionStart..<cursor]` so they replace
    /// `line[readlineStart..<cursor]` instead (readline splits words at its own break
    /// characters): the bytes between the two starts are prepended or stripped.
    static func aligned(_ candidates: [String], sessionStart: Int, readlineStart: Int, line: [UInt8]) -> [String] {
        if sessionStart == readlineStart { return candidates }
        if sessionStart > readlineStart {
            let extra = String(decoding: line[readlineStart..<sessionStart], as: UTF8.self)
            return candidates.map { extra + $0 }
        }
        let covered = String(decoding: line[sessionStart..<readlineStart], as: UTF8.self)
        return candidates.compactMap { $0.hasPrefix(covered) ? String($0.dropFirst(covered.count)) : nil }
    }

    /// The candidates' longest common prefix, by characters.
    static func commonPrefix(_ candidates: [String]) -> String {
        guard var prefix = candidates.first.map({ Substring($0) }) else { return "" }
        for candidate in candidates.dropFirst() {
            prefix = prefix.prefix(zip(prefix, candidate).prefix { $0 == $1 }.count)
        }
        return String(prefix)
    }

    /// The malloc'd array readline frees: `[common prefix, matches…, NULL]`, or just
    /// `[match, NULL]` for one match, or NULL for none.
    static func cArray(_ matches: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        guard !matches.isEmpty else { return nil }
        let entries = matches.count == 1 ? matches : [commonPrefix(matches)] + matches
        let size = MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (entries.count + 1)
        guard let raw = malloc(size) else { return nil }
        let array = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: entries.count + 1)
        for (index, entry) in entries.enumerated() {
            array[index] = strdup(entry)
        }
        array[entries.count] = nil
        return array
    }
}
