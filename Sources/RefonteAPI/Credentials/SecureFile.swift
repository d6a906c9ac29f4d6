#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads files that hold secrets, refusing any that group or others can access: a key that
/// others can read is a leaked key. The mode is checked on the open descriptor, so the file
/// cannot be swapped between the check and the read.
enum SecureFile {
    enum ReadError: Error {
        case missing
        case failed(String)
        case insecure(mode: UInt32)
    }

    /// The file's text, or nil when it does not exist. `what` names it in errors
    /// ("API key file", "config file").
    static func load(_ path: String, what: String, requirePrivate: Bool) throws(CredentialsError) -> String? {
        do {
            return try readChecked(path, requirePrivate: requirePrivate)
        } catch {
            switch error {
            case .missing: return nil
            case .insecure(let mode): throw .insecure(what, path: path, mode: mode)
            case .failed(let reason): throw .unreadable(what, path: path, reason: reason)
            }
        }
    }

    /// The permission bits of `path`, or nil when it cannot be read.
    static func mode(of path: String) -> UInt32? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt32(info.st_mode) & 0o7777
    }

    private static let maxBytes = 1 << 20

    private static func readChecked(_ path: String, requirePrivate: Bool) throws(ReadError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { throw .missing }
            throw .failed(lastError())
        }
        defer { close(fd) }
        var info = stat()
        try check(fstat(fd, &info))
        guard (UInt32(info.st_mode) & UInt32(S_IFMT)) == UInt32(S_IFREG) else {
            throw .failed("not a regular file")
        }
        let mode = UInt32(info.st_mode) & 0o7777
        if requirePrivate && mode & 0o077 != 0 { throw .insecure(mode: mode) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            try check(count)
            if count == 0 { break }
            bytes += chunk[0..<count]
            if bytes.count > maxBytes { throw .failed("larger than \(maxBytes) bytes") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .failed("not UTF-8 text")
        }
        return text
    }

    /// Every C status goes through here: negative means errno says why.
    private static func check<Status: BinaryInteger>(_ status: Status) throws(ReadError) {
        if status < 0 { throw .failed(lastError()) }
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
