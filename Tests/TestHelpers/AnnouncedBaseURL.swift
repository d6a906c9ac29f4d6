import Foundation

/// A `refonte sandbox` that exited before it said where it listens.
public struct SandboxDidNotStart: Error, CustomStringConvertible {
    public var output: String
    public var description: String { "the sandbox exited before it announced its URL; it wrote: \(output)" }
}

/// The base URL (`scheme://127.0.0.1:PORT/v1`) that a starting `refonte sandbox` prints on
/// standard output, read from `handle` off the pool.
public func announcedBaseURL(on handle: FileHandle, scheme: String = "http") async throws -> String {
    try await offThePool { () throws -> String in
        var text = ""
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { throw SandboxDidNotStart(output: text) }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: scheme + #"://127\.0\.0\.1:\d+/v1"#, options: .regularExpression) {
                return String(text[range])
            }
        }
    }
}
