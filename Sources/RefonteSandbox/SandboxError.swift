/// A refusal in the contract's words: the status and the message of the error body
/// `{"status_code": N, "error": "..."}`.
public struct SandboxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var message: String

    public init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status): \(message)" }

    static func badRequest(_ message: String) -> SandboxError { SandboxError(400, message) }
    static func notFound(_ message: String) -> SandboxError { SandboxError(404, message) }
    static func conflict(_ message: String) -> SandboxError { SandboxError(409, message) }

    /// The error body, exactly as the contract spells it.
    var body: [UInt8] {
        var writer = JSONWriter(capacity: 64 + message.utf8.count)
        writer.beginObject()
        writer.field("status_code", status)
        writer.field("error", message)
        writer.endObject()
        return writer.bytes
    }
}

/// Joins names for a message: `"a@x.com", "b@x.com"`.
func quotedList(_ names: some Sequence<String>) -> String {
    names.map { "\"\($0)\"" }.joined(separator: ", ")
}
