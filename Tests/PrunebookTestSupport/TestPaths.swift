import Foundation

/// Folders of the repository, found from this file's path so tests run from anywhere.
public enum TestPaths {
    /// The repository root.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Scripts`.
    public static var scripts: URL { root.appendingPathComponent("Tests/Scripts") }

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
