import CReadline
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one `ReadlineEditor.readLine(prompt:)` call got.
enum EditorEvent: Equatable {
    /// A line the user accepted with Return (may contain newlines when recalled from history).
    case line(String)
    /// Ctrl-C while editing: the line is abandoned.
    case cancelled
    /// Ctrl-D on an empty line, or the terminal went away.
    case endOfInput
}

/// GNU readline for the interactive REPL: line editing, Ctrl-R reverse search (readline's
/// default), the persistent `HistoryFile`, tab completion through the session, and Ctrl-C
/// at the prompt.
///
/// Readline runs through its callback interface: this type waits for keys with `poll`
/// (50 ms ticks) and feeds them to `rl_callback_read_char`, so it regains control between
/// keys. Readline's own signal handling is off (`rl_catch_signals = 0`) and the SIGINT
/// handler only sets `sigintFlag`. When the flag is seen at the prompt, the editor shows
/// `^C`, drops readline's partial state (`rl_free_line_state`, `rl_callback_sigcleanup`,
/// which also ends a Ctrl-R search), restores the terminal and returns `.cancelled`; the
/// loop then shows a fresh `prb> `. No readline function runs inside the signal handler,
/// and it works whichever thread the kernel delivers SIGINT to (the poll tick notices).
/// The callback interface also answers readline's "display all N possibilities?" itself
/// instead of blocking on a y/n key.
final class ReadlineEditor {
    private let history: HistoryFile?
    /// C copies of `name` and `wordBreaks`: readline keeps the pointers. The word breaks
    /// are unset and freed with the editor; the name (10 bytes) stays for the process, as
    /// `rl_readline_name` must never be NULL.
    private let cName: UnsafeMutablePointer<CChar>?
    private let cWordBreaks: UnsafeMutablePointer<CChar>?

    /// Configures readline for `session` and loads `history` (nil: in-memory history only).
    init(session: ReplSession, history: HistoryFile?) {
        self.history = history
        ReadlineBox.shared.session = session
        cName = strdup(Self.name)
        cWordBreaks = strdup(Self.wordBreaks)
        prb_rl_set_readline_name(cName)
        prb_rl_set_catch_signals(0)
        prb_rl_set_completer_word_break_characters(cWordBreaks)
        prb_rl_clear_basic_quote_characters()
        prb_rl_set_attempted_completion_function(attemptCompletion)
        using_history()
        history?.load()
    }

    deinit {
        prb_rl_set_completer_word_break_characters(nil)
        prb_rl_set_attempted_completion_function(nil)
        ReadlineBox.shared.session = nil
        free(cWordBreaks)
    }

    /// Shows `prompt` and returns the edited line, a cancellation, or end of input.
    func readLine(prompt: String) -> EditorEvent {
        let box = ReadlineBox.shared
        box.finished = false
        box.line = nil
        sigintFlag.clear()
        rl_callback_handler_install(prompt, lineHandler)
        while !box.finished {
            if sigintFlag.isRequested {
                sigintFlag.clear()
                cancelLine()
                return .cancelled
            }
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 50)
            if ready < 0 {
                if errno == EINTR { continue }
                rl_callback_handler_remove()
                return .endOfInput
            }
            if ready > 0 {
                if descriptor.revents & Int16(POLLNVAL) != 0 {
                    rl_callback_handler_remove()
                    return .endOfInput
                }
                rl_callback_read_char()
            }
        }
        guard let line = box.line else { return .endOfInput }
        return .line(line)
    }

    /// Adds a complete (possibly multi-line) input to the history as one entry and
    /// appends it to the history file.
    func remember(_ input: String) {
        add_history(input)
        history?.appendLatest()
    }

    /// Ctrl-C at the prompt: resets readline the way its manual prescribes for
    /// applications that handle signals themselves (partial line state and any search in
    /// progress first, so a Ctrl-R search redraws as the plain line), shows the line with
    /// `^C` after it and a newline, then restores the terminal mode (readline's deprep
    /// writes a carriage return, hence `^C` first).
    private func cancelLine() {
        rl_free_line_state()
        rl_callback_sigcleanup()
        rl_end_of_line(1, 0)
        rl_redisplay()
        _ = write(STDOUT_FILENO, "^C\n", 3)
        rl_cleanup_after_signal()
        rl_callback_handler_remove()
    }

    /// `rl_readline_name`, for conditional blocks in `~/.inputrc` (`$if prunebook`).
    private static let name = "prunebook"

    /// Where readline splits words for completion: spaces, quotes, brackets, operators,
    /// `.` (so `r.fi` completes the field) and `?`. Not `/` or `:`, so a path inside a
    /// string and `:commands` stay one word. The session's own start offset wins; see
    /// `CompletionMatches.aligned`.
    private static let wordBreaks = " \t\n\"'`()[]{},;=+-*%^<>!&|@.?~"
}

/// Readline's line handler (`rl_vcpfunc_t`): keeps the finished line (NULL at end of input)
/// in the box and removes the handler, so no further key is read for this line.
private func lineHandler(_ raw: UnsafeMutablePointer<CChar>?) {
    let box = ReadlineBox.shared
    box.finished = true
    if let raw {
        box.line = String(cString: raw)
        free(raw)
    } else {
        box.line = nil
    }
    rl_callback_handler_remove()
}
