import Foundation
import PrunebookBuiltins

/// `make generate`: writes docs/builtins.md from the registry and
/// Sources/PrunebookBuiltins/Stdlib+Generated.swift from stdlib/*.prb. Run from the
/// repository root.
@main
enum Generate {
    static func main() throws {
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let docs = root.appendingPathComponent("docs/builtins.md")
        try DocsPage.render().write(to: docs, atomically: true, encoding: .utf8)
        let files = try Stdlib.readFolder(root.appendingPathComponent("stdlib"))
        let stdlib = root.appendingPathComponent("Sources/PrunebookBuiltins/Stdlib+Generated.swift")
        try StdlibSource.render(files).write(to: stdlib, atomically: true, encoding: .utf8)
        print("wrote \(docs.path) and \(stdlib.path)")
    }
}
