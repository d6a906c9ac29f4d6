import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

/// Plain HTTP/1.1 to this machine (the sandbox), on SwiftNIO directly.
///
/// A script against the sandbox spends most of a call in the HTTP client. Measured alone, the
/// HTTP layer of a call took about 117 µs of CPU through async-http-client and about 50 on
/// SwiftNIO directly (`scripts/bench api` shows the difference end to end).
/// It keeps up to `maxConnections` keep-alive connections, all on one event loop, and hands
/// each request to an idle one or queues it. TLS, proxies and other hosts stay with
/// async-http-client (`AsyncHTTPClientTransport`).
///
/// All pool state lives on `eventLoop`; `send` hops there when called from elsewhere.
final class LoopbackTransport: HTTPTransport {
    let eventLoop: any EventLoop
    let name = "loopback"
    let hostHeader: String?
    private let pool: NIOLoopBoundBox<LoopbackPool>

    /// Whether `url`'s requests may use this transport: `http` to a loopback address.
    static func serves(scheme: String?, host: String?) -> Bool {
        guard scheme?.lowercased() == "http", let host = host?.lowercased() else { return false }
        return host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]"
    }

    init(host: String, port: Int, configuration: ClientConfiguration) {
        let eventLoop = configuration.eventLoop ?? HTTPClient.defaultEventLoopGroup.next()
        self.eventLoop = eventLoop
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        self.hostHeader = bare.contains(":") ? "[\(bare)]:\(port)" : "\(bare):\(port)"
        let settings = LoopbackPool.Settings(
            host: bare,
            port: port,
            maxConnections: configuration.maxConnections,
            maxResponseBytes: configuration.maxResponseBytes,
            connectTimeout: .nanoseconds(min(configuration.timeout, .seconds(10)).nanoseconds)
        )
        self.pool = NIOLoopBoundBox.makeBoxSendingValue(
            LoopbackPool(settings: settings, eventLoop: eventLoop),
            eventLoop: eventLoop
        )
    }

    func send(_ request: TransportRequest, deadline: NIODeadline) async throws -> APIClient.Answer {
        let promise = eventLoop.makePromise(of: APIClient.Answer.self)
        let exchange = NIOLoopBoundBox.makeBoxSendingValue(
            LoopbackExchange(request: request, promise: promise),
            eventLoop: eventLoop
        )
        let pool = pool
        if eventLoop.inEventLoop {
            pool.value.start(exchange.value, deadline: deadline)
        } else {
            eventLoop.execute { pool.value.start(exchange.value, deadline: deadline) }
        }
        return try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            eventLoop.execute { exchange.value.abandon(with: CancellationError()) }
        }
    }

    func shutdown() async {
        let pool = pool
        let closed = eventLoop.flatSubmit { pool.value.shutdown() }
        try? await closed.get()
    }
}
