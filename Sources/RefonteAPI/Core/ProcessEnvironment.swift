#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's environment variables, read once from `environ`.
///
/// Foundation's `ProcessInfo.processInfo.environment` builds the dictionary anew at each call
/// (a run asked for it six times) and first sets up ProcessInfo and CoreFoundation: about
/// 3 million instructions of every start. refonte never changes its own environment, so one
/// reading serves the whole process.
public enum ProcessEnvironment {
    public static let current: [String: String] = {
        var variables: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            entry += 1
            let bytes = UnsafeBufferPointer(
                start: UnsafePointer<UInt8>(OpaquePointer(pointer)),
                count: strlen(pointer)
            )
            guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = String(decoding: bytes[..<equals], as: UTF8.self)
            // The first of two definitions wins, as getenv(3) finds it.
            if variables[name] == nil {
                variables[name] = String(decoding: bytes[(equals + 1)...], as: UTF8.self)
            }
        }
        return variables
    }()
}
