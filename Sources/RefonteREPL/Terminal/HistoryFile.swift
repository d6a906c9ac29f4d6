import Foundation
import RefonteAPI

#if canImport(Glibc)
import Glibc
#endif

/// Where the REPL keeps its history, and what may go there.
///
/// `$XDG_STATE_HOME/refonte/repl_history` (default `~/.local/state/refonte/repl_history`),
/// readable by its owner only (0600, in a 0700 folder): what people type at an API shell is
/// nobody else's business. An entry that holds the API key is not recorded, nor is one typed
/// with a space first (as shells do with `ignorespace`).
struct HistoryFile {
    let path: String
    /// True for text that must not be written (it holds the key).
    let isSecret: @Sendable (String) -> Bool

    static func defaultPath(environment: [String: String] = ProcessEnvironment.current) -> String {
        UserFolder.state.path("repl_history", environment: environment)
    }

    /// Whether `entry` may be recorded.
    func keeps(_ entry: String) -> Bool {
        !entry.hasPrefix(" ") && !isSecret(entry)
    }

    /// Writes the editor's history: to a new file (mode 0600) beside the old one, renamed over
    /// it, so a crash never leaves half a history and the mode never depends on the umask.
    func save(_ editor: LineEditor) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: folder,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        let temporary = path + ".\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw HistoryError(path: temporary, code: errno) }
        guard let file = fdopen(descriptor, "w") else {
            close(descriptor)
            unlink(temporary)
            throw HistoryError(path: temporary, code: errno)
        }
        do {
            try editor.saveHistory(to: file)
        } catch {
            fclose(file)
            unlink(temporary)
            throw error
        }
        guard fclose(file) == 0, rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw HistoryError(path: path, code: code)
        }
    }
}

struct HistoryError: Error, CustomStringConvertible {
    var path: String
    var code: Int32
    var description: String { "cannot save the history to \(path): \(String(cString: strerror(code)))" }
}
