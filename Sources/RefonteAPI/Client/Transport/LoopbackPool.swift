import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

/// The connections of a `LoopbackTransport` and the requests waiting for one. Event loop only.
final class LoopbackPool {
    struct Settings {
        var host: String
        var port: Int
        var maxConnections: Int
        var maxResponseBytes: Int
        var connectTimeout: TimeAmount
    }

    let settings: Settings
    let eventLoop: any EventLoop
    private var idle: [LoopbackConnection] = []
    private var open: [ObjectIdentifier: LoopbackConnection] = [:]
    /// Connections being opened; they count against `maxConnections`.
    private var connecting = 0
    private var waiting = CircularBuffer<LoopbackExchange>()
    private var isShutDown = false

    init(settings: Settings, eventLoop: any EventLoop) {
        self.settings = settings
        self.eventLoop = eventLoop
    }

    func start(_ exchange: LoopbackExchange, deadline: NIODeadline) {
        guard !isShutDown else {
            exchange.finish(.failure(HTTPClientError.alreadyShutdown))
            return
        }
        exchange.timer = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            exchange.abandon(with: HTTPClientError.deadlineExceeded)
        }
        place(exchange)
    }

    /// How long a connection may sit idle and still be trusted. A script that computes
    /// without yielding keeps this loop from reading a close the server sent meanwhile, and a
    /// write sent on a closed connection cannot be retried; a new loopback connection costs a
    /// fraction of a millisecond.
    static let trustedIdle = TimeAmount.seconds(1)

    /// Sends on an idle connection, or queues and opens one.
    private func place(_ exchange: LoopbackExchange) {
        let now = NIODeadline.now()
        while let connection = idle.popLast() {
            guard connection.isActive else { continue }
            guard connection.idleSince + Self.trustedIdle > now else {
                connection.close()
                continue
            }
            connection.execute(exchange)
            return
        }
        waiting.append(exchange)
        if open.count + connecting < settings.maxConnections { connect() }
    }

    /// A connection finished an exchange and may carry another.
    func release(_ connection: LoopbackConnection) {
        guard !isShutDown, connection.isActive else {
            connection.close()
            return
        }
        if let next = nextWaiting() {
            connection.execute(next)
        } else {
            connection.idleSince = .now()
            idle.append(connection)
        }
    }

    /// A connection closed, for whatever reason.
    func closed(_ connection: LoopbackConnection) {
        open[ObjectIdentifier(connection)] = nil
        idle.removeAll { $0 === connection }
        if !isShutDown, !waiting.isEmpty, open.count + connecting < settings.maxConnections { connect() }
    }

    func shutdown() -> EventLoopFuture<Void> {
        isShutDown = true
        while let exchange = waiting.popFirst() { exchange.finish(.failure(HTTPClientError.alreadyShutdown)) }
        let closes = open.values.map { $0.close() }
        idle = []
        return EventLoopFuture.andAllComplete(closes, on: eventLoop)
    }

    private func nextWaiting() -> LoopbackExchange? {
        while let exchange = waiting.popFirst() {
            if !exchange.isFinished { return exchange }
        }
        return nil
    }

    private func connect() {
        connecting += 1
        let settings = settings
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(settings.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                }
            }
        bootstrap.connect(host: settings.host, port: settings.port).assumeIsolated().whenComplete { result in
            self.connecting -= 1
            switch result {
            case .success(let channel):
                self.opened(channel)
            case .failure(let error):
                // The request that asked for this connection gets the error; the rest wait for
                // another connection (or their own deadline).
                self.nextWaiting()?.finish(.failure(error))
            }
        }
    }

    private func opened(_ channel: any Channel) {
        let connection = LoopbackConnection(channel: channel, pool: self)
        do {
            try channel.pipeline.syncOperations.addHandler(LoopbackResponseHandler(connection: connection))
        } catch {
            channel.close(promise: nil)
            nextWaiting()?.finish(.failure(error))
            return
        }
        open[ObjectIdentifier(connection)] = connection
        if isShutDown {
            connection.close()
            return
        }
        release(connection)
    }
}
