import Foundation

/// How a notebook run behaves: the command line's `--keep-going`, `--timeout`, `-p` and
/// `--only`, `--allow-write`, `--max-memory`, and whether the data folder is there.
public struct NotebookRunOptions: Sendable {
    /// Run every cell after a failure (and write all outputs, errors included).
    public var keepGoing = false
    /// Wall-clock budget per cell in seconds.
    public var timeout: Double?
    /// Parameter overrides `name → Prunebook literal text` for the `prb parameters` cell.
    public var parameters: [(name: String, value: String)] = []
    /// Stop after the cell with this `id=` (inclusive).
    public var only: String?
    /// The data folder (`PRUNEBOOK_DATA`) when it exists.
    public var dataFolder: URL?
    /// Folders the cells may write inside besides the notebook's own (`--allow-write`).
    public var writableFolders: [URL] = []
    /// The largest single tensor allocation in bytes (`--max-memory`); nil: the default.
    public var maxMemory: UInt64?

    /// Defaults: stop at the first failure, no budget, no overrides, data from the
    /// environment.
    public init() {
        dataFolder = NotebookRunOptions.dataFolderFromEnvironment()
    }

    /// `PRUNEBOOK_DATA` when it names an existing folder.
    public static func dataFolderFromEnvironment() -> URL? {
        guard let path = ProcessInfo.processInfo.environment["PRUNEBOOK_DATA"], !path.isEmpty else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        return URL(fileURLWithPath: path)
    }
}
