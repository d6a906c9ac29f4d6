import NIOHTTP1

/// A successful (200) answer. The body stays raw bytes: the scripting layer decodes it
/// straight into Lua values, so no Foundation object is built on the way.
public struct APIResponse: Sendable, Equatable {
    public var status: Int
    public var body: [UInt8]
    /// How many times the request was sent before this answer (1 when no retry was needed).
    public var attempts: Int
    /// Kept as received: most callers never look, so the lower-cased dictionary is only built
    /// when asked for.
    var fields: HTTPHeaders

    public init(status: Int, headers: [String: String], body: [UInt8], attempts: Int) {
        self.init(
            status: status,
            fields: HTTPHeaders(headers.map { ($0.key, $0.value) }),
            body: body,
            attempts: attempts
        )
    }

    init(status: Int, fields: HTTPHeaders, body: [UInt8], attempts: Int) {
        self.status = status
        self.fields = fields
        self.body = body
        self.attempts = attempts
    }

    /// Response headers with lower-cased names; repeated headers are joined with ", ".
    public var headers: [String: String] {
        var joined: [String: String] = [:]
        for (name, value) in fields {
            let key = name.lowercased()
            joined[key] = joined[key].map { "\($0), \(value)" } ?? value
        }
        return joined
    }

    /// The header's value, looked up case-insensitively; repeated headers are joined with ", ".
    public func header(_ name: String) -> String? {
        let values = fields[name]
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }
}
