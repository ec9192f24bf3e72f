import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that readers see either the old content or the new one, never a part.
public enum AtomicFile {
    /// Writes `text` to `url` via a temporary file in the same folder + rename; keeps the existing file's
    /// permissions; never leaves a partial file; errors (read-only folder/file) name the path.
    ///
    /// A symbolic link is followed: its target is replaced. The write bits are respected even
    /// for the superuser, so a notebook marked read-only (or in a read-only folder) is never
    /// rewritten. Errors are `ModelError`s naming the path.
    public static func write(_ text: String, to url: URL) throws(ModelError) {
        try write(Array(text.utf8), to: url)
    }

    /// Writes `bytes` to `url` atomically, as `write(_:to:)` does for text.
    public static func write(_ bytes: [UInt8], to url: URL) throws(ModelError) {
        let target = url.resolvingSymlinksInPath()
        let path = target.path
        let folder = target.deletingLastPathComponent().path
        let mode = try checkWritable(url)
        // A new file gets 0o666 less the umask; a replaced one exactly its old permissions.
        let (temporary, descriptor) = try createTemporary(next: target, mode: mode ?? 0o666)
        do throws(ModelError) {
            try writeAll(bytes, to: descriptor, temporary: temporary)
            if let mode, fchmod(descriptor, mode) != 0 { throw failure(temporary, systemError(errno)) }
            if fsync(descriptor) != 0 { throw failure(temporary, systemError(errno)) }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw failure(path, systemError(code))
        }
        syncFolder(folder)
    }

    /// Throws unless `url` (a file, or a new file in an existing folder) can be replaced by
    /// `write`: the file and its folder must have write bits (even for the superuser).
    /// Returns the existing file's permission bits, nil for a new file.
    @discardableResult
    public static func checkWritable(_ url: URL) throws(ModelError) -> mode_t? {
        let target = url.resolvingSymlinksInPath()
        let path = target.path
        let folder = target.deletingLastPathComponent().path
        var mode: mode_t?
        var info = stat()
        if stat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw failure(path, "it is a folder, expected a file") }
            if (info.st_mode & 0o222) == 0 || access(path, W_OK) != 0 { throw failure(path, "the file is read-only") }
            mode = info.st_mode & 0o7777
        } else if errno != ENOENT {
            throw failure(path, systemError(errno))
        }
        var folderInfo = stat()
        guard stat(folder, &folderInfo) == 0 else { throw failure(path, "folder `\(folder)`: \(systemError(errno))") }
        if (folderInfo.st_mode & 0o222) == 0 || access(folder, W_OK) != 0 {
            throw failure(path, "the folder `\(folder)` is read-only")
        }
        return mode
    }

    /// Creates a new, empty temporary file next to `target` (`.NAME.PID.N.tmp`), returning
    /// its path and an open descriptor.
    private static func createTemporary(next target: URL, mode: mode_t) throws(ModelError) -> (String, Int32) {
        let folder = target.deletingLastPathComponent()
        let name = target.lastPathComponent
        for attempt in 0..<100 {
            let temporary = folder.appendingPathComponent(".\(name).\(getpid()).\(attempt).tmp").path
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            if descriptor >= 0 { return (temporary, descriptor) }
            if errno != EEXIST { throw failure(target.path, systemError(errno)) }
        }
        throw failure(target.path, "could not create a temporary file in `\(folder.path)`")
    }

    /// Writes every byte of `text` to `descriptor`.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, temporary: String) throws(ModelError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                systemWrite(descriptor, buffer.baseAddress.map { $0 + written }, bytes.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(temporary, systemError(errno))
            }
            written += count
        }
    }

    /// Flushes the folder entry of the rename to disk (best effort).
    private static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// The error for a write of `path` that failed because of `reason`.
    private static func failure(_ path: String, _ reason: String) -> ModelError {
        ModelError("cannot write `\(path)`: \(reason)", kind: .io)
    }

    /// The text of system error `code`, lowercase.
    private static func systemError(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}

/// The POSIX `write(2)`, out of reach of `AtomicFile.write` inside the enum.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
