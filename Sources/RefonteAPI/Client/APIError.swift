/// A failed API call, in a shape that the Lua layer can hand to scripts as a table
/// (`err.status`, `err.code`, `err.message`) and that prints as one readable line.
///
/// It never holds the API key: server messages are redacted before they are stored here.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The catalog id of the operation, e.g. `teams.invite`.
    public var operationID: String
    /// The HTTP status, or nil when no response arrived (transport failures, timeouts).
    public var status: Int?
    /// A stable machine-readable name: see `APIError.Code`.
    public var code: String
    /// The server's own words (the contract's `error` field) or a clear fallback.
    public var message: String
    /// Seconds the server asked us to wait (`Retry-After`), when it said so.
    public var retryAfter: Double?
    /// How many times the request was sent (or tried) before giving up.
    public var attempts: Int

    public init(
        operationID: String,
        status: Int?,
        code: String,
        message: String,
        retryAfter: Double? = nil,
        attempts: Int = 1
    ) {
        self.operationID = operationID
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
        self.attempts = attempts
    }

    /// `refonte.teams.invite failed: 404 not_found: no teammate with email x@y.com`
    public var description: String {
        var text = "refonte.\(operationID) failed: "
        if let status { text += "\(status) " }
        text += "\(code): \(message)"
        if attempts > 1 { text += " (after \(attempts) attempts)" }
        return text
    }
}

extension APIError {
    /// The codes an `APIError` can carry. Strings, not an enum, so that scripts compare them
    /// directly (`if err.code == "not_found"`) and a new server status never breaks decoding.
    public enum Code {
        public static let badRequest = "bad_request"
        public static let unauthorized = "unauthorized"
        public static let notEnabled = "not_enabled"
        public static let forbidden = "forbidden"
        public static let notFound = "not_found"
        public static let duplicate = "duplicate"
        public static let tooLarge = "too_large"
        public static let rateLimited = "rate_limited"
        public static let `internal` = "internal"
        public static let unavailable = "unavailable"
        /// A 504 from the server, or no answer within the client's timeout.
        public static let timeout = "timeout"
        /// The connection failed or broke before a full response arrived.
        public static let network = "network"
        /// The server's TLS certificate was refused (untrusted, expired, for another host), or
        /// the TLS handshake failed. Never retried.
        public static let tls = "tls"
        /// Any status the contract does not name, including 2xx other than 200.
        public static let unexpectedStatus = "unexpected_status"
        /// The calling task was cancelled (for instance the script was stopped).
        public static let cancelled = "cancelled"
        /// A write was not sent because the audit log could not be written.
        public static let auditUnavailable = "audit_unavailable"
    }

    /// The code the contract gives an HTTP status.
    public static func code(forStatus status: Int) -> String {
        switch status {
        case 400: Code.badRequest
        case 401: Code.unauthorized
        case 402: Code.notEnabled
        case 403: Code.forbidden
        case 404: Code.notFound
        case 409: Code.duplicate
        case 413: Code.tooLarge
        case 429: Code.rateLimited
        case 500: Code.internal
        case 503: Code.unavailable
        case 504: Code.timeout
        default: Code.unexpectedStatus
        }
    }
}
