import Foundation
import TensorModule

/// Everything a run needs besides the code: global variables, the output sink, the seeded
/// random stream, limits, the interrupt flag and the import state. Passed to every builtin.
public final class RunContext {
    /// Where printed and displayed text goes.
    public var output: (String) -> Void
    /// The run's random stream (reset to seed 0 at the start of every notebook run).
    public var random: RandomStream
    /// Resource limits.
    public var limits: Limits
    /// Set from another thread to interrupt the running code.
    public let interrupt: InterruptFlag
    /// The folder relative paths are resolved against; builtins may write inside it.
    public var baseDirectory: URL
    /// Further folders builtins may write inside (`--allow-write PATH`); reads are unrestricted.
    public var writableFolders: [URL] = []
    /// Global variables.
    let globals = Globals()
    /// The value of the `return` being executed.
    var returnValue: Value = .nilValue
    /// Current call depth.
    var callDepth = 0
    /// Frames of finished calls, reused by later calls.
    let framePool = FramePool()
    /// Canonical paths of files already imported.
    var imported: Set<String> = []
    /// When set, the deadline of the running cell (checked with the interrupt flag).
    public var deadline: Date?
    /// Extension state for builtin families (chart settings, model caches), keyed by name.
    public var extensions: [String: any Sendable] = [:]

    /// A context writing to `output`, with seed 0.
    public init(output: @escaping (String) -> Void, baseDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath), limits: Limits = Limits(), interrupt: InterruptFlag = InterruptFlag()) {
        self.output = output
        self.random = RandomStream(seed: 0)
        self.limits = limits
        self.interrupt = interrupt
        self.baseDirectory = baseDirectory
    }

    /// Resolves `path` against `baseDirectory` unless it is absolute.
    public func resolvePath(_ path: String) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path) }
        return baseDirectory.appendingPathComponent(path)
    }

    /// Resolves `path` like `resolvePath` for a builtin that writes it, and checks that the
    /// file lands inside `baseDirectory` or one of `writableFolders` once `..` and the
    /// symbolic links of its folder are resolved, so a notebook from elsewhere cannot write
    /// over the user's files. Throws an `.io` error naming `--allow-write` otherwise.
    public func resolveWritePath(_ path: String) throws -> URL {
        let url = resolvePath(path).standardizedFileURL
        let target = Self.canonicalFolder(url.deletingLastPathComponent()) + "/" + url.lastPathComponent
        let roots = ([baseDirectory] + writableFolders).map(Self.canonicalFolder)
        if roots.contains(where: { root in target.hasPrefix(root == "/" ? "/" : root + "/") }) { return url }
        let allowed = roots.joined(separator: ", ")
        throw PrunebookError(.io, "cannot write \(path): it resolves to \(target), outside the folders this run may write to (\(allowed)); "
                             + "rerun with --allow-write \(Self.canonicalFolder(url.deletingLastPathComponent())) to permit it")
    }

    /// The absolute path of `folder` with `.`, `..` and symbolic links resolved.
    private static func canonicalFolder(_ folder: URL) -> String {
        let path = folder.standardizedFileURL.resolvingSymlinksInPath().path
        return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// Throws when an interrupt was requested or the cell's time budget ran out. Long
    /// builtins call this at least every ~50 ms.
    public func checkInterrupt() throws {
        if interrupt.isRequested {
            interrupt.clear()
            throw PrunebookError(.interrupt, "interrupted")
        }
        if let deadline, Date() > deadline {
            throw PrunebookError(.limit, "cell exceeded its time budget of \(formatNumber(limits.cellSeconds ?? 0)) s")
        }
    }

    /// Defines (or replaces) global `name`.
    public func setGlobal(_ name: String, _ value: Value) {
        globals.bind(globals.index(for: name), value)
    }

    /// The value of global `name`, if defined.
    public func global(_ name: String) -> Value? {
        guard let i = globals.indexByName[name] else { return nil }
        return globals.values[i]
    }

    /// The names of all defined globals, in definition order.
    public var globalNames: [String] {
        globals.names.indices.filter { globals.values[$0] != nil }
            .sorted { globals.boundAt[$0] < globals.boundAt[$1] }
            .map { globals.names[$0] }
    }

    /// Removes every global not in `keeping` (used by `:reset`).
    public func removeGlobals(except keeping: Set<String>) {
        for (i, name) in globals.names.enumerated() where !keeping.contains(name) {
            globals.unbind(i)
        }
    }

    /// Calls `function` with positional arguments (used by `map`, `filter`, `bench`, …).
    public func call(_ function: Callable, _ arguments: [Value]) throws -> Value {
        try invoke(function, positional: arguments, named: [], callSite: nil)
    }
}

/// Configurable resource limits; all produce clear errors, never a crash.
public struct Limits: Sendable {
    /// Maximum parser nesting depth.
    public var parserDepth = 1000
    /// Maximum call depth.
    public var callDepth = 10_000
    /// Wall-clock budget per cell in seconds (nil: none).
    public var cellSeconds: Double?
    /// The largest single tensor allocation in bytes (default: half of physical memory).
    public var allocationBytes: UInt64 = ProcessInfo.processInfo.physicalMemory / 2

    /// The defaults of `language.md`.
    public init() {}
}

/// Global variable storage: names resolve to indices at compile time. A slot can exist
/// long before it is bound (a function's locals fall back to the global of the same name,
/// so compiling one reserves it), so definition order is kept separately: `boundAt[i]` is
/// the sequence number of slot i's first binding (0 while unbound).
final class Globals {
    var values: [Value?] = []
    var names: [String] = []
    var indexByName: [String: Int] = [:]
    var boundAt: [Int] = []
    private var bindings = 0
    /// Counts every change of a global (bind, unbind, change in place), so code can tell
    /// whether evaluating something rebound any global.
    var writes = 0

    func index(for name: String) -> Int {
        if let i = indexByName[name] { return i }
        let i = values.count
        values.append(nil)
        names.append(name)
        boundAt.append(0)
        indexByName[name] = i
        return i
    }

    /// Binds slot `i`, recording when it was first bound.
    @inline(__always)
    func bind(_ i: Int, _ value: Value) {
        if boundAt[i] == 0 {
            bindings += 1
            boundAt[i] = bindings
        }
        writes &+= 1
        values[i] = value
    }

    /// Unbinds slot `i`; binding it again puts it last in definition order.
    func unbind(_ i: Int) {
        writes &+= 1
        values[i] = nil
        boundAt[i] = 0
    }
}
