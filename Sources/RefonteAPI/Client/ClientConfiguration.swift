import struct Foundation.URL
import protocol NIOCore.EventLoop

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
    /// The event loop that carries the client's connections; nil spreads them over the shared
    /// group. A script host that runs its Lua thread on the same loop (`EventLoopExecutor`)
    /// saves two thread switches per call.
    public var eventLoop: (any EventLoop)?
    /// The HTTP layer: `.automatic` sends plain HTTP to this machine (the sandbox) over a lean
    /// transport on `eventLoop`, and everything else through async-http-client.
    public var transport: ClientTransport

    public init(
        baseURL: URL = ClientConfiguration.defaultBaseURL,
        apiKey: APIKey,
        timeout: Duration = .seconds(60),
        rateLimit: RateLimit? = .standard,
        retry: RetryPolicy = RetryPolicy(),
        userAgentSuffix: String? = nil,
        maxResponseBytes: Int = 64 << 20,
        maxConnections: Int = 8,
        eventLoop: (any EventLoop)? = nil,
        transport: ClientTransport = .automatic
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.timeout = timeout
        self.rateLimit = rateLimit
        self.retry = retry
        self.userAgentSuffix = userAgentSuffix
        self.maxResponseBytes = maxResponseBytes
        self.maxConnections = max(1, maxConnections)
        self.eventLoop = eventLoop
        self.transport = transport
    }

    public static let defaultBaseURL = URL(string: "https://api.refonte.com/v1")!
}
