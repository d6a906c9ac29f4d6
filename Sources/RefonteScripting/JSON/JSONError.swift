/// Why JSON could not be read or written.
public struct JSONError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String

    static func invalid(_ what: String, at offset: Int) -> JSONError {
        JSONError(description: "invalid JSON at byte offset \(offset): \(what)")
    }

    /// The host stopped because the script's memory cap was reached (the script sees the limit).
    static let memory = JSONError(description: "the script's memory limit was reached")

    static func tooLong(_ maximum: Int) -> JSONError {
        JSONError(description: "the JSON text would be longer than \(maximum) bytes")
    }

    static func unencodable(_ what: String, at path: String) -> JSONError {
        JSONError(description: "cannot encode \(path): \(what)")
    }
}
