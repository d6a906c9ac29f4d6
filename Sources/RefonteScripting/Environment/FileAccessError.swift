#if canImport(Glibc)
import Glibc
#endif

/// Why a script could not open a file.
public enum FileAccessError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The jail refused: the message names the operation, the path and the flag that would
    /// allow it (or why none can). Raised as a Lua error.
    case denied(String)
    /// The system refused (no such file, a folder, …): `io.open` returns nil, message, errno.
    case system(String, Int32)

    public var description: String {
        switch self {
        case .denied(let message): message
        case .system(let path, let code): "\(path): \(String(cString: strerror(code)))"
        }
    }
}
