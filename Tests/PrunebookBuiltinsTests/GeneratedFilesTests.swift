import Foundation
import PrunebookBuiltins
import PrunebookTestSupport
import Testing

/// The committed generated files match what `make generate` would write.
@Suite struct GeneratedFilesTests {
    @Test func builtinsPageIsUpToDate() throws {
        let url = TestPaths.root.appendingPathComponent("docs/builtins.md")
        let committed = try String(contentsOf: url, encoding: .utf8)
        #expect(committed == DocsPage.render(), "docs/builtins.md is out of date; run `make generate`")
    }

    @Test func embeddedStdlibIsUpToDate() throws {
        let files = try Stdlib.readFolder(TestPaths.root.appendingPathComponent("stdlib"))
        let url = TestPaths.root.appendingPathComponent("Sources/PrunebookBuiltins/Stdlib+Generated.swift")
        let committed = try String(contentsOf: url, encoding: .utf8)
        #expect(committed == StdlibSource.render(files), "Stdlib+Generated.swift is out of date; run `make generate`")
    }
}
