import Foundation
import Models
import Testing

@Suite struct AtomicFileTests {
    /// A fresh, empty folder for one test.
    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("prunebook-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The permission bits of `url`.
    func mode(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    /// The names in `folder`, sorted.
    func names(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test func writesANewFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("nb.md")
        try AtomicFile.write("héllo\r\nworld", to: url)
        #expect(try Data(contentsOf: url) == Data("héllo\r\nworld".utf8))
        #expect(try names(folder) == ["nb.md"])
        // A new file gets the same permissions as any new file here (0o666 less the umask).
        let reference = folder.appendingPathComponent("reference")
        try Data().write(to: reference)
        #expect(try mode(url) == mode(reference))
    }

    @Test func replacesAFileAndKeepsItsMode() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("nb.md")
        try Data("old\n".utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: url.path)
        try AtomicFile.write("new\n", to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "new\n")
        #expect(try mode(url) == 0o640)
        #expect(try names(folder) == ["nb.md"])
    }

    @Test func readOnlyFolderIsAnErrorNamingThePathAndTheFileIsUntouched() throws {
        let folder = try temporaryFolder()
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
            try? FileManager.default.removeItem(at: folder)
        }
        let url = folder.appendingPathComponent("nb.md")
        try Data("old\n".utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        var caught: ModelError?
        do {
            try AtomicFile.write("new\n", to: url)
        } catch {
            caught = error
        }
        #expect(caught?.message.contains(url.path) == true)
        #expect(caught?.message.contains("read-only") == true)
        #expect(try String(contentsOf: url, encoding: .utf8) == "old\n")
        #expect(try names(folder) == ["nb.md"])
    }

    @Test func readOnlyFileIsAnErrorAndUntouched() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("nb.md")
        try Data("old\n".utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: url.path)
        #expect(throws: ModelError("cannot write `\(url.path)`: the file is read-only", kind: .io)) {
            try AtomicFile.write("new\n", to: url)
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == "old\n")
        #expect(try mode(url) == 0o444)
        #expect(try names(folder) == ["nb.md"])
    }

    @Test func folderInsteadOfAFileIsAnError() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("nb.md")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        #expect(throws: ModelError("cannot write `\(url.path)`: it is a folder, expected a file", kind: .io)) {
            try AtomicFile.write("new\n", to: url)
        }
        #expect(try names(folder) == ["nb.md"])
    }

    @Test func missingFolderIsAnErrorNamingThePath() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("absent/nb.md")
        var caught: ModelError?
        do {
            try AtomicFile.write("new\n", to: url)
        } catch {
            caught = error
        }
        #expect(caught?.message.hasPrefix("cannot write `\(url.path)`") == true)
        #expect(try names(folder).isEmpty)
    }

    @Test func symbolicLinkIsFollowed() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("real.md")
        let link = folder.appendingPathComponent("link.md")
        try Data("old\n".utf8).write(to: target)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        try AtomicFile.write("new\n", to: link)
        #expect(try String(contentsOf: target, encoding: .utf8) == "new\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == target.path)
        #expect(try names(folder) == ["link.md", "real.md"])
    }
}
