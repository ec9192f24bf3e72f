import Foundation
import Testing
@testable import Models

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
    static let skipReason: Comment = "skipped: needs PRUNEBOOK_DATA (or ../shared/data) with stories260K.bin"

    /// The bytes of a data file, or nil (after printing the skip notice) when absent.
    static func bytes(_ file: String) -> [UInt8]? {
        guard let directory, let data = FileManager.default.contents(atPath: directory + "/" + file) else {
            print("skipped: needs PRUNEBOOK_DATA")
            return nil
        }
        return [UInt8](data)
    }

    /// stories260K's weights.
    static func stories() throws -> LlamaWeights {
        try LlamaCheckpoint.load(try #require(bytes("stories260K.bin")), name: "stories260K.bin")
    }

    /// `stories260K_reference.json`.
    static func reference() throws -> [String: Any] {
        let data = Data(try #require(bytes("stories260K_reference.json")))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The data README's stream protocol, join=single: non-empty lines joined by one "\n",
    /// encoded without BOS.
    static func validationStream(_ tokenizer: Tokenizer, _ text: String) -> [Int32] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        return tokenizer.encode(lines.joined(separator: "\n"), bos: false)
    }
}
