import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Requests through async-http-client: TLS, any host, its connection pool.
final class AsyncHTTPClientTransport: HTTPTransport {
    private let http: HTTPClient
    private let maxResponseBytes: Int
    /// `https://api.refonte.com`: a request's URL is this and its target.
    private let origin: String

    init(configuration: ClientConfiguration) {
        let timeout = TimeAmount.nanoseconds(configuration.timeout.nanoseconds)
        var pool = HTTPClient.Configuration.ConnectionPool()
        // Failed connects come back to `APIClient.send`, which retries them with backoff and
        // logs them, instead of being retried silently until the connect timeout.
        pool.retryConnectionEstablishment = false
        pool.concurrentHTTP1ConnectionsPerHostSoftLimit = configuration.maxConnections
        self.http = HTTPClient(
            eventLoopGroup: configuration.eventLoop ?? HTTPClient.defaultEventLoopGroup,
            configuration: HTTPClient.Configuration(
                // A redirect could carry the Authorization header to another host.
                redirectConfiguration: .disallow,
                timeout: .init(connect: min(timeout, .seconds(10)), read: timeout),
                connectionPool: pool,
                decompression: .disabled
            )
        )
        self.maxResponseBytes = configuration.maxResponseBytes
        self.origin = RequestURL.split(configuration.baseURL).origin
    }

    var name: String { ClientTransport.asyncHTTPClient.rawValue }
    var hostHeader: String? { nil }

    func send(_ request: TransportRequest, deadline: NIODeadline) async throws -> APIClient.Answer {
        let outgoing = try HTTPClient.Request(
            url: origin + request.target,
            method: request.method,
            headers: request.headers,
            body: request.body.map { .byteBuffer(ByteBuffer(bytes: $0)) }
        )
        let task = http.execute(
            request: outgoing,
            delegate: AnswerCollector(limit: maxResponseBytes),
            eventLoop: .indifferent,
            deadline: deadline,
            logger: nil
        )
        return try await withTaskCancellationHandler {
            try await task.futureResult.get()
        } onCancel: {
            task.cancel()
        }
    }

    func shutdown() async {
        try? await http.shutdown()
    }
}
