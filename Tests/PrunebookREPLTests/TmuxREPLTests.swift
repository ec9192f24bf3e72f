import Foundation
import PrunebookTestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing

/// The interactive REPL driven as a person would: `prunebook` runs inside a detached tmux
/// session (its own tmux server per test, 120×40, `NO_COLOR=1`, `HOME` and `XDG_STATE_HOME`
/// in a temporary folder), keys are sent with `tmux send-keys`, and the screen is read with
/// `tmux capture-pane`. Skipped when tmux is not installed (`make deps` installs it).
@Suite(.serialized, .enabled(if: Tmux.isInstalled, "tmux is not installed; run `make deps`"))
struct TmuxREPLTests {
    @Test func evaluatesAnExpression() throws {
        let repl = try TmuxREPL()
        defer { repl.close() }
        try repl.waitForPrompt()
        repl.type("x = 3; x * 14\n")
        try repl.waitFor("a line `42`") { $0.lines.contains("42") }
    }

    @Test func multiLineDefinitionShowsContinuationPrompt() throws {
        let repl = try TmuxREPL()
        defer { repl.close() }
        try repl.waitForPrompt()
        repl.type("fn triple(a) {\n")
        try repl.waitFor("the continuation prompt") { $0.lines.last == "...>" || $0.lines.last == "...> " }
        repl.type("return a * 3\n")
        repl.type("}\n")
        try repl.waitFor("a fresh prompt after `}`") { $0.lines.contains("...> }") && $0.lines.last?.hasPrefix("prb>") == true }
        repl.type("triple(14)\n")
        try repl.waitFor("a line `42`") { $0.lines.contains("42") }
    }

    @Test func tabCompletesABuiltinName() throws {
        let repl = try TmuxREPL()
        defer { repl.close() }
        try repl.waitForPrompt()
        repl.type("sparsi")
        repl.press("Tab")
        try repl.waitFor("`sparsity` completed") { $0.lines.last == "prb> sparsity" }
    }

    @Test func tabCompletesANamedParameter() throws {
        let repl = try TmuxREPL()
        defer { repl.close() }
        try repl.waitForPrompt()
        repl.type("w = ones([2, 2])\n")
        try repl.waitFor("the assignment's prompt") { $0.lines.filter { $0.hasPrefix("prb>") }.count == 2 }
        // `ke` also starts the builtin `keys`, but at the start of an argument a matching
        // parameter wins, so one Tab completes `keep: `.
        repl.type("mask_topk(w, ke")
        repl.press("Tab")
        try repl.waitFor("`keep: ` completed") { $0.lines.last == "prb> mask_topk(w, keep:" }
        repl.type("1)\n")
        try repl.waitFor("the mask") { $0.text.contains("bool") }
    }

    @Test func tabCompletesARecordField() throws {
        let repl = try TmuxREPL()
        defer { repl.close() }
        try repl.waitForPrompt()
        repl.type("r = {first_field: 1, second: 2}\n")
        try repl.waitFor("the assignment's prompt") { $0.lines.filter { $0.hasPrefix("prb>") }.count == 2 }
        repl.type("r.fi")
        repl.press("Tab")
        try repl.waitFor("`first_field` completed") { $0.lines.last == "prb> r.first_field" }
        repl.type(" + 1\n")
        try repl.waitFor("`2`") { $0.lines.contains("2") }
    }

    @Test func tabCompletesAPathInsideAString() throws {
        let repl = try TmuxREPL()
        defer { repl.close() }
        let data = repl.folder.url.appendingPathComponent("work/data", isDirectory: true)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: data.appendingPathComponent("layer.weights.json"))
        try repl.waitForPrompt()
        repl.type("p = \"da")
        repl.press("Tab")
        try repl.waitFor("the folder completed") { $0.lines.last == "prb> p = \"data/" }
        repl.type("layer.w")
        repl.press("Tab")
        try repl.waitFor("the file completed") { $0.lines.last == "prb> p = \"data/layer.weights.json" }
    }

    @Test func historySurvivesARestart() throws {
        let state = try TemporaryFolder()
        do {
            let first = try TmuxREPL(folder: state)
            defer { first.close() }
            try first.waitForPrompt()
            first.type("400 + 56\n")
            try first.waitFor("`456`") { $0.lines.contains("456") }
            first.press("C-d")
            try first.waitForExit()
        }
        let history = state.url.appendingPathComponent("state/prunebook/history")
        #expect(FileManager.default.fileExists(atPath: history.path), "no history file at \(history.path)")
        let second = try TmuxREPL(folder: state)
        defer { second.close() }
        try second.waitForPrompt()
        second.press("Up")
        try second.waitFor("the previous input recalled") { $0.lines.last == "prb> 400 + 56" }
    }

    @Test func ctrlCInterruptsALoopAndKeepsVariables() throws {
        let repl = try TmuxREPL()
        defer { repl.close() }
        try repl.waitForPrompt()
        repl.type("kept = 31\n")
        try repl.waitFor("the assignment's prompt") { $0.lines.filter { $0.hasPrefix("prb>") }.count == 2 }
        repl.type("while true {}\n")
        try repl.waitFor("the loop running (cursor below the input, no new prompt)") { screen in
            screen.lines.last == "prb> while true {}" && repl.cursorColumn() == 0
        }
        Thread.sleep(forTimeInterval: 0.3)
        repl.press("C-c")
        try repl.waitFor("`interrupted` and a prompt") {
            $0.text.contains("interrupted") && $0.lines.last?.hasPrefix("prb>") == true
        }
        repl.type("kept + 1\n")
        try repl.waitFor("`32` after the interrupt") { screen in
            guard let mark = screen.lines.firstIndex(where: { $0.contains("interrupted") }) else { return false }
            return screen.lines[mark...].contains("32")
        }
    }

    @Test func ctrlCWhileTypingClearsTheLine() throws {
        let repl = try TmuxREPL()
        defer { repl.close() }
        try repl.waitForPrompt()
        repl.type("abandoned_text")
        try repl.waitFor("the typed text") { $0.lines.last == "prb> abandoned_text" }
        repl.press("C-c")
        try repl.waitFor("a fresh empty prompt") { $0.lines.last == "prb>" || $0.lines.last == "prb> " }
        repl.type("50 + 8\n")
        try repl.waitFor("`58`") { $0.lines.contains("58") }
        let screen = repl.capture()
        #expect(!screen.text.contains("unknown name"), "the abandoned line must not run:\n\(screen.text)")
        #expect(screen.lines.contains("prb> 50 + 8"), "the new input starts on an empty line:\n\(screen.text)")
        #expect(screen.lines.contains("prb> abandoned_text^C"), "the abandoned line stays visible with `^C`:\n\(screen.text)")
    }

    @Test func ctrlCEndsAReverseSearch() throws {
        let repl = try TmuxREPL()
        defer { repl.close() }
        try repl.waitForPrompt()
        repl.type("600 + 6\n")
        try repl.waitFor("`606`") { $0.lines.contains("606") }
        repl.press("C-r")
        repl.type("600")
        try repl.waitFor("the search") { $0.text.contains("reverse-i-search") }
        repl.press("C-c")
        try repl.waitFor("a fresh empty prompt") { $0.lines.last == "prb>" || $0.lines.last == "prb> " }
        repl.type("3 * 3\n")
        try repl.waitFor("`9`") { $0.lines.contains("9") }
        #expect(repl.capture().lines.filter { $0 == "606" }.count == 1, "the found line must not run")
    }

    @Test func ctrlDOnAnEmptyLineQuits() throws {
        let repl = try TmuxREPL()
        defer { repl.close() }
        try repl.waitForPrompt()
        repl.type("1 + 1\n")
        try repl.waitFor("`2`") { $0.lines.contains("2") }
        repl.press("C-d")
        try repl.waitForExit()
    }

    @Test func ctrlCAbandonsAMultiLineInput() throws {
        let repl = try TmuxREPL()
        defer { repl.close() }
        try repl.waitForPrompt()
        repl.type("y = [1,\n")
        try repl.waitFor("the continuation prompt") { $0.lines.last?.hasPrefix("...>") == true }
        repl.press("C-c")
        try repl.waitFor("a fresh prompt") { $0.lines.last == "prb>" || $0.lines.last == "prb> " }
        repl.type("7 * 9\n")
        try repl.waitFor("`63`") { $0.lines.contains("63") }
    }

    @Test func savedSessionReplays() throws {
        let repl = try TmuxREPL()
        defer { repl.close() }
        try repl.waitForPrompt()
        repl.type("a = 20\n")
        repl.type("b = a + 1\n")
        repl.type("print(b * 2)\n")
        try repl.waitFor("`42`") { $0.lines.contains("42") }
        repl.type(":save s.md\n")
        let saved = repl.folder.url.appendingPathComponent("work/s.md")
        try repl.waitFor("s.md written") { _ in FileManager.default.fileExists(atPath: saved.path) }
        let replay = try runReplay(saved)
        #expect(replay.status == 0, "replay failed:\n\(replay.output)\nsaved:\n\((try? String(contentsOf: saved, encoding: .utf8)) ?? "")")
    }
}

// MARK: - Driving tmux

/// Finding and running `tmux`.
private enum Tmux {
    /// The `tmux` executable, if installed.
    static let path: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// True when tmux is available.
    static var isInstalled: Bool { path != nil }

    /// Runs tmux with `arguments`; returns its exit status and stdout.
    ///
    /// Spawned with `posix_spawn` and a cleared signal mask rather than `Process`: the
    /// test's worker threads block nearly every signal and `Process` passes that mask on,
    /// so the tmux server (and the REPL in its pane) would never see SIGCHLD, SIGHUP or
    /// SIGINT. Output goes through a file, not a pipe: `new-session` forks the tmux server,
    /// which would keep a pipe open.
    @discardableResult
    static func run(_ arguments: [String]) -> (status: Int32, output: String) {
        guard let path else { return (-1, "") }
        let outPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("prunebook-tmux-out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outPath) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGHUP, SIGTERM, SIGQUIT, SIGCHLD, SIGPIPE, SIGWINCH, SIGTSTP] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        let environment: [UnsafeMutablePointer<CChar>?] = ProcessInfo.processInfo.environment
            .map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            environment.forEach { free($0) }
        }
        var pid = pid_t()
        guard posix_spawn(&pid, path, &actions, &attributes, argv, environment) == 0 else { return (-1, "") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitStatus: Int32 = status & 0x7f == 0 ? (status >> 8) & 0xff : -1
        let data = FileManager.default.contents(atPath: outPath) ?? Data()
        return (exitStatus, String(decoding: data, as: UTF8.self))
    }
}

/// A temporary folder, removed when the value is deinitialised.
private final class TemporaryFolder {
    /// The folder.
    let url: URL

    /// Creates a fresh folder under the system's temporary directory.
    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("prunebook-tmux-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// What the pane shows.
private struct Screen {
    /// The pane's text.
    let text: String

    /// Its lines, trailing blank lines removed, trailing spaces kept.
    var lines: [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines
    }
}

/// A `prunebook` REPL inside a detached tmux session on a private tmux server.
private final class TmuxREPL {
    /// Holds `home/`, `state/` (XDG_STATE_HOME) and `work/` (the current directory).
    let folder: TemporaryFolder
    /// `-S <socket>`: a private tmux server whose socket lives in `folder`, so nothing is
    /// left in the system's tmux folder.
    private let server: [String]

    /// Starts the REPL; `folder` is shared to keep history across restarts.
    init(folder: TemporaryFolder? = nil) throws {
        guard let binary = TestPaths.binary else {
            Issue.record("the prunebook binary was not found; run `swift build` first")
            throw TmuxFailure("no binary")
        }
        self.folder = try folder ?? TemporaryFolder()
        let root = self.folder.url
        server = ["-S", root.appendingPathComponent("tmux-\(UUID().uuidString.prefix(8)).sock").path]
        for sub in ["home", "state", "work"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = "env HOME=\(quoted(root.appendingPathComponent("home").path)) "
            + "XDG_STATE_HOME=\(quoted(root.appendingPathComponent("state").path)) NO_COLOR=1 TERM=xterm-256color "
            + quoted(binary.path)
        let started = Tmux.run(server + ["-f", "/dev/null", "new-session", "-d", "-s", "repl", "-x", "120", "-y", "40",
                                "-c", root.appendingPathComponent("work").path, command])
        guard started.status == 0 else { throw TmuxFailure("tmux new-session failed") }
    }

    /// Types `text` literally (`\n` is sent as Enter).
    func type(_ text: String) {
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() {
            if !part.isEmpty { Tmux.run(server + ["send-keys", "-t", "repl", "-l", String(part)]) }
            if index < parts.count - 1 { press("Enter") }
        }
    }

    /// Presses one key by its tmux name (`Enter`, `Tab`, `Up`, `C-c`, `C-d`).
    func press(_ key: String) {
        Tmux.run(server + ["send-keys", "-t", "repl", key])
    }

    /// What the pane shows now.
    func capture() -> Screen {
        Screen(text: Tmux.run(server + ["capture-pane", "-p", "-t", "repl"]).output)
    }

    /// The cursor's column in the pane (-1 when unknown).
    func cursorColumn() -> Int {
        let output = Tmux.run(server + ["display-message", "-p", "-t", "repl", "#{cursor_x}"]).output
        return Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Polls the pane every 50 ms for up to `timeout` seconds until `condition` holds.
    func waitFor(_ what: String, timeout: TimeInterval = 10, _ condition: (Screen) -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(capture()) { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let screen = capture()
        if condition(screen) { return }
        Issue.record("timed out waiting for \(what); the pane shows:\n\(screen.text)")
        throw TmuxFailure("timed out waiting for \(what)")
    }

    /// Waits for the first `prb> ` prompt.
    func waitForPrompt() throws {
        try waitFor("the first prompt") { $0.lines.last?.hasPrefix("prb>") == true }
    }

    /// Waits until the REPL process has ended (the tmux session closes with it).
    func waitForExit(timeout: TimeInterval = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if Tmux.run(server + ["has-session", "-t", "repl"]).status != 0 { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("the REPL did not exit; the pane shows:\n\(capture().text)")
        throw TmuxFailure("no exit")
    }

    /// Kills the tmux server (and the REPL with it).
    func close() {
        Tmux.run(server + ["kill-server"])
    }
}

/// A tmux step that failed (already recorded as an issue).
private struct TmuxFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `prunebook replay FILE` in the file's folder; returns its status and combined output.
private func runReplay(_ file: URL) throws -> (status: Int32, output: String) {
    guard let binary = TestPaths.binary else { throw TmuxFailure("no binary") }
    let process = Process()
    process.executableURL = binary
    process.arguments = ["replay", file.lastPathComponent]
    process.currentDirectoryURL = file.deletingLastPathComponent()
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
