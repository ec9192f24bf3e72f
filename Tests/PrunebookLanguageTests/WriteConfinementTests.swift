import Foundation
import PrunebookLanguage
import Testing

/// `RunContext.resolveWritePath`: writes stay inside the base folder and the
/// `--allow-write` folders, whatever `..` or symbolic links the path goes through.
struct WriteConfinementTests {
    /// A fresh folder tree: `root/base` (the context's folder), `root/other`, and
    /// `root/base/link` → `root/other`.
    private func makeTree() throws -> (root: URL, context: RunContext) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prunebook-confine-\(UUID().uuidString)")
        let base = root.appendingPathComponent("base"), other = root.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: base.appendingPathComponent("link"), withDestinationURL: other)
        return (root, RunContext(output: { _ in }, baseDirectory: base))
    }

    private func refusal(_ context: RunContext, _ path: String) -> String? {
        do {
            _ = try context.resolveWritePath(path)
            return nil
        } catch {
            return (error as? PrunebookError)?.message ?? "\(error)"
        }
    }

    @Test func pathsInsideTheBaseFolderAreAllowed() throws {
        let (root, context) = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(refusal(context, "x.npy") == nil)
        #expect(refusal(context, "sub/../x.npy") == nil)
        #expect(refusal(context, root.appendingPathComponent("base/y.npy").path) == nil)
    }

    @Test func climbingOutIsRefusedNamingAllowWrite() throws {
        let (root, context) = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let message = try #require(refusal(context, "../other/x.npy"))
        #expect(message.hasPrefix("cannot write ../other/x.npy: it resolves to "))
        #expect(message.contains("--allow-write"))
        #expect(refusal(context, "/etc/prunebook-x.npy") != nil)
        #expect(refusal(context, "../base-sibling.npy") != nil)
    }

    @Test func aSymbolicLinkOutOfTheFolderIsRefused() throws {
        let (root, context) = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(refusal(context, "link/x.npy") != nil)
    }

    @Test func allowWriteFoldersArePermitted() throws {
        let (root, context) = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        context.writableFolders = [root.appendingPathComponent("other")]
        #expect(refusal(context, "../other/x.npy") == nil)
        #expect(refusal(context, "link/x.npy") == nil)
        #expect(refusal(context, "../elsewhere.npy") != nil)
    }

    @Test func aFolderWithTheBaseAsNamePrefixIsNotInside() throws {
        let (root, context) = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("base2"), withIntermediateDirectories: true)
        #expect(refusal(context, "../base2/x.npy") != nil)
    }
}
