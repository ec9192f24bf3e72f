import PrunebookLanguage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's SIGINT flag: one of the two pieces of global state the architecture
/// allows (the other is `ReadlineBox`). The signal handler only sets it (an atomic store,
/// async-signal-safe); everything else reads it from normal code:
///
/// - while a statement runs, the interpreter's loops and calls poll it (it is the
///   session's `InterruptFlag`) and unwind with `interrupted`, keeping the variables;
/// - while readline waits at the prompt, `ReadlineEditor` (which polls stdin in 50 ms
///   ticks) sees it, clears it and cancels the line, so the loop drops the typed (possibly
///   multi-line) input and shows a fresh `prb> `.
let sigintFlag = InterruptFlag()

/// Installs the SIGINT handler used by the interactive REPL.
enum SignalHandling {
    /// Unblocks, in the calling thread (and so in threads it creates afterwards), the
    /// signals a terminal program must receive: SIGINT (Ctrl-C), SIGHUP and SIGTERM (the
    /// terminal or a multiplexer closing it), SIGQUIT, SIGTSTP/SIGCONT (job control) and
    /// SIGWINCH (readline's resize). A parent can leave them blocked and a blocked mask is
    /// inherited across `exec` (test runners and tmux servers started from them do), which
    /// would make Ctrl-C do nothing and `tmux kill-server` hang.
    static func unblockTerminalSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in [SIGINT, SIGHUP, SIGTERM, SIGQUIT, SIGTSTP, SIGCONT, SIGWINCH] {
            sigaddset(&set, signal)
        }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Routes SIGINT to `sigintFlag` with `sigaction` (`SA_RESTART`, so ordinary I/O is
    /// not interrupted; the editor's `poll` is never restarted and rechecks the flag).
    static func installInterruptHandler() {
        let flag = sigintFlag  // initialise the global before a signal can read it
        flag.clear()
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { _ in sigintFlag.request() }
        #else
        action.__sigaction_u.__sa_handler = { _ in sigintFlag.request() }
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)
    }
}
