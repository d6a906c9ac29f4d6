import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// One request of a `LoopbackTransport`, from queued to answered. Event loop only.
final class LoopbackExchange {
    let request: TransportRequest
    private let promise: EventLoopPromise<APIClient.Answer>
    var timer: Scheduled<Void>?
    /// The connection carrying it, once sent.
    weak var connection: LoopbackConnection?
    private(set) var isFinished = false

    init(request: TransportRequest, promise: EventLoopPromise<APIClient.Answer>) {
        self.request = request
        self.promise = promise
    }

    func finish(_ result: Result<APIClient.Answer, any Error>) {
        guard !isFinished else { return }
        isFinished = true
        timer?.cancel()
        timer = nil
        promise.completeWith(result)
    }

    /// Gives up (deadline or cancellation). A connection that carried the request cannot
    /// carry another: its answer may still arrive.
    func abandon(with error: any Error) {
        guard !isFinished else { return }
        finish(.failure(error))
        connection?.close()
    }
}

/// One keep-alive HTTP/1.1 connection of a `LoopbackPool`. Event loop only.
final class LoopbackConnection {
    private let channel: any Channel
    /// Strong: a connection that outlives an un-shut-down client must still find its pool
    /// when the channel closes. The pool lets go of it in `closed`.
    private let pool: LoopbackPool
    /// The exchange whose answer is awaited.
    var current: LoopbackExchange?
    /// When it last became idle.
    var idleSince = NIODeadline.now()

    init(channel: any Channel, pool: LoopbackPool) {
        self.channel = channel
        self.pool = pool
    }

    var isActive: Bool { channel.isActive }
    var maxResponseBytes: Int { pool.settings.maxResponseBytes }

    func execute(_ exchange: LoopbackExchange) {
        current = exchange
        exchange.connection = self
        let request = exchange.request
        // The client's fixed headers already hold `Host`; only a body's length is added here.
        var headers = request.headers
        if let body = request.body {
            headers.add(name: "Content-Length", value: String(body.count))
        } else if request.method != .GET, request.method != .HEAD {
            headers.add(name: "Content-Length", value: "0")
        }
        let head = HTTPRequestHead(
            version: .http1_1,
            method: request.method,
            uri: request.target,
            headers: headers
        )
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if let body = request.body {
            channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
        }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
    }

    /// The answer is complete: hand it over, then reuse or close the connection.
    func answered(_ answer: APIClient.Answer, keepAlive: Bool) {
        guard let exchange = current else {
            close()
            return
        }
        current = nil
        exchange.finish(.success(answer))
        if keepAlive { pool.release(self) } else { close() }
    }

    /// The connection broke or was refused mid-answer.
    func failed(_ error: any Error) {
        let exchange = current
        current = nil
        exchange?.finish(.failure(error))
        close()
    }

    func inactive() {
        failed(HTTPClientError.remoteConnectionClosed)
        pool.closed(self)
    }

    @discardableResult
    func close() -> EventLoopFuture<Void> {
        guard channel.isActive else { return channel.eventLoop.makeSucceededVoidFuture() }
        let promise = channel.eventLoop.makePromise(of: Void.self)
        channel.close(promise: promise)
        return promise.futureResult.recover { _ in }
    }
}

/// Reads answers off a `LoopbackConnection`'s channel.
final class LoopbackResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let connection: LoopbackConnection
    private var head: HTTPResponseHead?
    private var body: ByteBuffer?
    /// Set once an answer was refused as too large; the rest of it is ignored.
    private var refused = false

    init(connection: LoopbackConnection) {
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = nil
            if let length = head.headers.first(name: "content-length").flatMap(Int.init),
                length > connection.maxResponseBytes
            {
                refuse()
            }
        case .body(var part):
            guard !refused else { return }
            if body == nil {
                body = part
            } else {
                body!.writeBuffer(&part)
            }
            if body!.readableBytes > connection.maxResponseBytes { refuse() }
        case .end:
            guard !refused, let head else { return }
            let answer = APIClient.Answer(status: Int(head.status.code), headers: head.headers, body: body)
            self.head = nil
            body = nil
            connection.answered(answer, keepAlive: head.isKeepAlive)
        }
    }

    private func refuse() {
        refused = true
        body = nil
        connection.failed(NIOTooManyBytesError(maxBytes: connection.maxResponseBytes))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        connection.failed(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection.inactive()
        context.fireChannelInactive()
    }
}
