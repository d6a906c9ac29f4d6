/// Why JSON could not be read or written.
public struct JSONError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String

    static func invalid(_ what: String, at offset: Int) -> JSONError {
        JSONError(description: "invalid JSON at byte offset \(offset): \(what)")
    }

    static func unencodable(_ what: String, at path: String) -> JSONError {
        JSONError(description: "cannot encode \(path): \(what)")
    }
}
