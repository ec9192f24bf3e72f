import CReadline
import Foundation

/// The persistent history file: `$XDG_STATE_HOME/prunebook/history` (the folder is
/// created) when `XDG_STATE_HOME` is set, else `~/.prunebook_history`. Read at start,
/// appended after each input, capped at `limit` entries. Entries carry timestamps so a
/// multi-line input comes back as one entry after a restart.
struct HistoryFile {
    /// The most entries kept in the file.
    static let limit: Int32 = 10_000

    /// The file's path.
    let path: String

    /// The history file for `environment`, or nil when neither `XDG_STATE_HOME` nor
    /// `HOME` is set or the state folder cannot be created.
    static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> HistoryFile? {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty {
            let folder = URL(fileURLWithPath: state, isDirectory: true).appendingPathComponent("prunebook", isDirectory: true)
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                return nil
            }
            return HistoryFile(path: folder.appendingPathComponent("history").path)
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return HistoryFile(path: URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".prunebook_history").path)
    }

    /// Sets readline's history format and loads the file into the in-memory history,
    /// creating it when missing (readline's `append_history` does not create files).
    func load() {
        prb_history_set_comment_char(CChar(UInt8(ascii: "#")))
        prb_history_set_write_timestamps(1)
        stifle_history(Self.limit)
        if FileManager.default.fileExists(atPath: path) {
            read_history(path)
        } else {
            write_history(path)
        }
    }

    /// Appends the newest in-memory entry to the file and trims the file to `limit`.
    func appendLatest() {
        if append_history(1, path) != 0 {
            write_history(path)
        }
        history_truncate_file(path, Self.limit)
    }
}
