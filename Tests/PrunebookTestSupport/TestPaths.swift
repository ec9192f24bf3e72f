import Foundation

/// Folders of the repository, found from this file's path so tests run from anywhere.
public enum TestPaths {
    /// The repository root.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Scripts`.
    public static var scripts: URL { root.appendingPathComponent("Tests/Scripts") }

    /// True when `PRUNEBOOK_DATA` names a folder holding stories260K.bin (the Makefile sets it).
    public static var dataAvailable: Bool {
        guard let folder = ProcessInfo.processInfo.environment["PRUNEBOOK_DATA"], !folder.isEmpty else { return false }
        return FileManager.default.fileExists(atPath: folder + "/stories260K.bin")
    }

    /// The built `prunebook` binary of the current build configuration, if present.
    public static var binary: URL? {
        let bundle = Bundle.main.bundleURL
        for folder in [bundle, bundle.deletingLastPathComponent()] {
            let candidate = folder.appendingPathComponent("prunebook")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
