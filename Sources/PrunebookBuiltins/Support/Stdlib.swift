import Foundation
import PrunebookLanguage

/// The standard library written in Prunebook (`stdlib/*.prb`), embedded in the binary by
/// `make generate` (Stdlib+Generated.swift). `PRUNEBOOK_STDLIB=<dir>` loads the files from
/// disk instead, for development.
public enum Stdlib {
    /// The stdlib files (name, text) in load order: from `PRUNEBOOK_STDLIB` when set,
    /// else the embedded copy.
    public static func files() throws -> [(name: String, text: String)] {
        guard let folder = ProcessInfo.processInfo.environment["PRUNEBOOK_STDLIB"], !folder.isEmpty else {
            return EmbeddedStdlib.files
        }
        return try readFolder(URL(fileURLWithPath: folder))
    }

    /// Reads every `.prb` file of `folder`, sorted by name.
    public static func readFolder(_ folder: URL) throws -> [(name: String, text: String)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".prb") }
            .sorted()
        return try names.map { name in
            (name, try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
        }
    }

    /// Runs every stdlib file in `context`, defining its functions as globals.
    static func load(into context: RunContext) throws {
        for file in try files() {
            try context.run(SourceFile(name: "stdlib/\(file.name)", text: file.text))
        }
    }
}
