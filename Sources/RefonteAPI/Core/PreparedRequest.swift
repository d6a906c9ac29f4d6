/// One API call, checked against the catalog and ready for the wire (or for a dry-run plan).
///
/// Everything here is already in wire form: the path is percent-encoded and relative to the
/// base URL (`/studio/projects/My%20Project/groups`), query items are repeated for arrays, and the
/// body is the exact JSON bytes to send. It never holds the API key.
public struct PreparedRequest: Sendable, Hashable {
    public struct QueryItem: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The catalog id of the operation, e.g. `teams.invite`.
    public var operationID: String
    public var method: HTTPMethod
    public var path: String
    public var query: [QueryItem]
    /// JSON bytes, or nil for no body. The client still sends `Content-Type: application/json`.
    public var body: [UInt8]?
    /// Safe to send again after an ambiguous failure (see `Operation.idempotent`).
    public var idempotent: Bool

    public init(
        operationID: String,
        method: HTTPMethod,
        path: String,
        query: [QueryItem] = [],
        body: [UInt8]? = nil,
        idempotent: Bool
    ) {
        self.operationID = operationID
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.idempotent = idempotent
    }
}
