import Foundation
import Testing

/// Locates the shared data folder: `PRUNEBOOK_DATA`, else `<repo>/../shared/data`.
enum TestData {
    /// The folder holding `stories260K.bin`, nil when it is absent.
    static let directory: String? = {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["PRUNEBOOK_DATA"], !env.isEmpty {
            candidates.append(env)
        }
        let repo = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(repo.deletingLastPathComponent().appendingPathComponent("shared/data").path)
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/stories260K.bin") }
    }()

    /// True when the data folder was found.
    static var available: Bool { directory != nil }

    /// The reason shown for skipped data tests.
    static let skipReason: Comment = "skipped: needs PRUNEBOOK_DATA"

    /// The bytes of a data file, or nil (after printing the skip notice) when absent.
    static func bytes(_ file: String) -> [UInt8]? {
        guard let directory, let data = FileManager.default.contents(atPath: directory + "/" + file) else {
            print("skipped: needs PRUNEBOOK_DATA")
            return nil
        }
        return [UInt8](data)
    }
}
