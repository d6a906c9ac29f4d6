import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The sandbox's database holds its API keys, so only its owner may read it: folders the
/// sandbox makes for it are 0700, and the database with SQLite's side files is 0600. SQLite
/// gives `-wal`, `-shm` and `-journal` the mode of the database file, so making the database
/// first, at 0600, makes them private too; files left wider by an older version are narrowed.
enum PrivateFiles {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let sideFileSuffixes = ["-wal", "-shm", "-journal"]

    /// Makes the missing folders above `path` (0700), creates the database file (0600) when it
    /// is missing, and narrows the modes of the file and its side files when they are wider.
    static func prepareDatabase(at path: String, logger: Logger) throws(Failure) {
        let parent = parentFolder(of: path)
        if !parent.isEmpty { try makeFolders(parent) }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot create \(path): \(lastError())") }
        close(fd)
        for file in [path] + sideFileSuffixes.map({ path + $0 }) {
            var info = stat()
            guard stat(file, &info) == 0, UInt32(info.st_mode) & 0o077 != 0 else { continue }
            if chmod(file, mode_t(UInt32(info.st_mode) & 0o700)) != 0 {
                logger.warning("could not make \(file) private (chmod 600): \(lastError())")
            }
        }
    }

    /// `mkdir -p` with mode 0700 for every folder it makes; existing folders are left as they are.
    static func makeFolders(_ folder: String) throws(Failure) {
        var info = stat()
        if stat(folder, &info) == 0 {
            guard UInt32(info.st_mode) & UInt32(S_IFMT) == UInt32(S_IFDIR) else {
                throw Failure(description: "\(folder) exists and is not a folder")
            }
            return
        }
        let parent = parentFolder(of: folder)
        if !parent.isEmpty, parent != folder { try makeFolders(parent) }
        if mkdir(folder, 0o700) != 0, errno != EEXIST {
            throw Failure(description: "cannot create the folder \(folder): \(lastError())")
        }
    }

    private static func parentFolder(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
