/// A successful (200) answer. The body stays raw bytes: the scripting layer decodes it
/// straight into Lua values, so no Foundation object is built on the way.
public struct APIResponse: Sendable, Hashable {
    public var status: Int
    /// Response headers with lower-cased names; repeated headers are joined with ", ".
    public var headers: [String: String]
    public var body: [UInt8]
    /// How many times the request was sent before this answer (1 when no retry was needed).
    public var attempts: Int

    public init(status: Int, headers: [String: String], body: [UInt8], attempts: Int) {
        self.status = status
        self.headers = headers
        self.body = body
        self.attempts = attempts
    }

    /// The header's value, looked up case-insensitively.
    public func header(_ name: String) -> String? {
        headers[name.lowercased()]
    }
}
