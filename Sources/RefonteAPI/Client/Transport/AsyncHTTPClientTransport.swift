import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Requests through async-http-client, for every host: TLS with the configured trust, the
/// configured proxy, a keep-alive connection pool.
final class AsyncHTTPClientTransport: HTTPTransport {
    private let http: HTTPClient
    private let group: any EventLoopGroup
    private let proxy: HTTPProxy?
    private let maxResponseBytes: Int
    /// `https://api.refonte.com`: a request's URL is this and its target.
    private let origin: String
    private let isShutDown = Mutex(false)

    init(configuration: ClientConfiguration) {
        let group = configuration.eventLoopGroup ?? ClientEventLoop.shared
        self.group = group
        self.proxy = configuration.proxy
        let timeout = TimeAmount.nanoseconds(configuration.timeout.nanoseconds)
        var pool = HTTPClient.Configuration.ConnectionPool()
        // Failed connects come back to `APIClient.send`, which retries them with backoff and
        // logs them, instead of being retried silently until the connect timeout.
        pool.retryConnectionEstablishment = false
        pool.concurrentHTTP1ConnectionsPerHostSoftLimit = configuration.maxConnections
        self.http = HTTPClient(
            eventLoopGroup: group,
            configuration: HTTPClient.Configuration(
                // Built here, used on the first https:// connection: a client that only
                // speaks plain HTTP never makes a TLS context.
                tlsConfiguration: configuration.trust.tlsConfiguration,
                // A redirect could carry the Authorization header to another host.
                redirectConfiguration: .disallow,
                timeout: .init(connect: min(timeout, .seconds(10)), read: timeout),
                connectionPool: pool,
                proxy: configuration.proxy?.asyncHTTPClientProxy,
                decompression: .disabled
            )
        )
        self.maxResponseBytes = configuration.maxResponseBytes
        self.origin = RequestURL.split(configuration.baseURL).origin
    }

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

    func inspectCertificate(timeout: Duration) async -> CertificateInspection.Finding? {
        await CertificateInspection.inspect(
            origin: origin,
            proxy: proxy,
            eventLoopGroup: group,
            timeout: timeout
        )
    }

    func shutdown() async {
        try? await http.shutdown()
        isShutDown.withLock { $0 = true }
    }

    deinit {
        // A client dropped without `shutdown()` (an error thrown past the code that would have
        // closed it) closes its connections here: AHC stops the process when a client it
        // never shut down is freed. The shutdown keeps AHC's client alive until it is done.
        if !isShutDown.withLock({ $0 }) { http.shutdown { _ in } }
    }
}

/// Collects one response (status, headers, body up to a limit) for AHC's delegate API.
///
/// The transport uses the delegate API rather than `execute(_:deadline:)`: that one starts an
/// unstructured task per request to watch for cancellation, which wakes a thread of the global
/// executor on every call; a script making calls one after another pays for that wake-up
/// every time.
///
/// AHC calls a delegate only on the request's event loop, one callback at a time, so the
/// mutable state needs no lock.
final class AnswerCollector: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = APIClient.Answer

    private let limit: Int
    private var status = 0
    private var headers = HTTPHeaders()
    private var body: ByteBuffer?

    init(limit: Int) {
        self.limit = limit
    }

    func didReceiveHead(task: HTTPClient.Task<Response>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        status = Int(head.status.code)
        headers = head.headers
        if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > limit {
            return task.eventLoop.makeFailedFuture(NIOTooManyBytesError(maxBytes: limit))
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Response>, _ part: ByteBuffer) -> EventLoopFuture<Void> {
        if body == nil {
            body = part
        } else {
            var part = part
            body!.writeBuffer(&part)
        }
        if body!.readableBytes > limit {
            return task.eventLoop.makeFailedFuture(NIOTooManyBytesError(maxBytes: limit))
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Response>) throws -> Response {
        APIClient.Answer(status: status, headers: headers, body: body)
    }
}

/// The event loop that carries the connections of every client that was given none: one
/// thread, started when the first such client is made and kept for the life of the process
/// (a loop stopped with each client would still get the late callbacks of DNS lookups and
/// closing connections). No script and no server runs on it, so answers and closes are read
/// while a script computes.
enum ClientEventLoop {
    static let shared: MultiThreadedEventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
}
