/// What readline's C callbacks (completion, the line handler) need and cannot capture: the
/// session to ask for completion candidates and the line readline handed back. The one
/// global box the architecture allows besides `sigintFlag`; only the REPL thread touches
/// it, from `ReadlineEditor` and from callbacks readline runs inside
/// `rl_callback_read_char` on that thread.
final class ReadlineBox: @unchecked Sendable {
    /// The session whose `completions(line:cursor:)` supplies candidates.
    var session: ReplSession?
    /// Set by the line handler when readline finished a line (`line` nil: end of input).
    var finished = false
    /// The finished line, nil for end of input (Ctrl-D on an empty line).
    var line: String?

    /// The shared box.
    static let shared = ReadlineBox()
}
