#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Terminal attributes around a running statement.
enum TerminalMode {
    /// Runs `body` with the terminal's `ECHOCTL` off, so Ctrl-C during a statement does not
    /// echo `^C` in front of the session's `interrupted` line. The previous attributes are
    /// restored afterwards; nothing changes when stdin is not a terminal.
    static func withoutControlEcho<T>(_ body: () -> T) -> T {
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0, saved.c_lflag & tcflag_t(ECHOCTL) != 0 else { return body() }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHOCTL)
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        defer { tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
        return body()
    }
}
