import struct Foundation.URL
import protocol NIOCore.EventLoopGroup

/// Everything an `APIClient` needs to talk to one account.
public struct ClientConfiguration: Sendable {
    /// E.g. `https://api.refonte.com/v1` or `http://127.0.0.1:8080/v1`. Operation paths are
    /// appended to it.
    public var baseURL: URL
    public var apiKey: APIKey
    /// How long one attempt may take, from sending to the last byte of the answer.
    public var timeout: Duration
    /// nil: no client-side limit (the server's 429s are still honoured).
    public var rateLimit: RateLimit?
    public var retry: RetryPolicy
    /// Appended to the user agent after a space, e.g. `source/schedule:nightly`.
    public var userAgentSuffix: String?
    /// Answers larger than this fail instead of filling memory.
    public var maxResponseBytes: Int
    /// HTTP/1.1 connections kept open to the API at once; more concurrent calls queue for one.
    /// (Over HTTP/2 one connection carries them all.)
    public var maxConnections: Int
    /// Enough for the most concurrent calls `refonte.map` makes (its `concurrency`). Connections
    /// open only as calls overlap, and the rate limiter comes first, so a paced run opens few.
    public static let defaultMaxConnections = 256
    /// The proxy the connections go through (`ProxyEnvironment` reads it), or nil.
    public var proxy: HTTPProxy?
    /// The certificate authorities trusted for `https://`.
    public var trust: CertificateTrust
    /// The event loops that carry the client's connections; nil uses a one-thread loop that
    /// only clients use, started with the first of them. A loop that also runs other work (a
    /// Lua thread, a server) delays every answer while that work runs.
    public var eventLoopGroup: (any EventLoopGroup)?

    public init(
        baseURL: URL = ClientConfiguration.defaultBaseURL,
        apiKey: APIKey,
        timeout: Duration = .seconds(60),
        rateLimit: RateLimit? = .standard,
        retry: RetryPolicy = RetryPolicy(),
        userAgentSuffix: String? = nil,
        maxResponseBytes: Int = 64 << 20,
        maxConnections: Int = ClientConfiguration.defaultMaxConnections,
        proxy: HTTPProxy? = nil,
        trust: CertificateTrust = .system,
        eventLoopGroup: (any EventLoopGroup)? = nil
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.timeout = timeout
        self.rateLimit = rateLimit
        self.retry = retry
        self.userAgentSuffix = userAgentSuffix
        self.maxResponseBytes = maxResponseBytes
        self.maxConnections = max(1, maxConnections)
        self.proxy = proxy
        self.trust = trust
        self.eventLoopGroup = eventLoopGroup
    }

    public static let defaultBaseURL = URL(string: "https://api.refonte.com/v1")!
}
