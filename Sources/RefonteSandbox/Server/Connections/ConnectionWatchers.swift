import NIOCore
import NIOHTTPTypes

/// First in a connection's pipeline: sees every byte as it arrives (so it knows when a request
/// starts, before the HTTP decoder has a whole head) and every read the channel asks for.
final class ByteWatch: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let connection: TrackedConnection

    init(_ connection: TrackedConnection) {
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let now = TrackedConnection.now()
        switch connection.phase {
        case .fresh, .idle: connection.enter(.readingHead, at: now)
        case .readingBody: connection.touch(at: now)
        case .readingHead, .answering: break
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        connection.setReadPending(false)
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        connection.setReadPending(true)
        context.read()
    }
}

/// After the HTTP decoder: sees where each request's head and end are, and where each
/// response ends, to tell a connection that waits on its client from one the server answers.
final class PartWatch: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let connection: TrackedConnection
    private let registry: ConnectionRegistry
    /// Requests whose head has arrived and whose response has not ended (more than one when a
    /// client pipelines).
    private var inProgress = 0

    init(_ connection: TrackedConnection, registry: ConnectionRegistry) {
        self.connection = connection
        self.registry = registry
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            inProgress += 1
            connection.enter(.readingBody, at: TrackedConnection.now())
        case .body:
            break
        case .end:
            // A response may end before its request does (a refusal that did not read the
            // body); then nothing is left to answer.
            connection.enter(inProgress > 0 ? .answering : .idle, at: TrackedConnection.now())
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            inProgress -= 1
            // A pipelined request that has started arriving keeps its own phase.
            if inProgress == 0, connection.phase == .answering {
                connection.enter(.idle, at: TrackedConnection.now())
                // At the limit, new connections are held back until one closes: one that has
                // just been answered goes, rather than sit idle while others wait.
                if registry.isFull {
                    let written = context.eventLoop.makePromise(of: Void.self)
                    written.futureResult.cascade(to: promise)
                    let channel = context.channel
                    written.futureResult.whenComplete { _ in channel.close(promise: nil) }
                    context.write(data, promise: written)
                    return
                }
            }
        }
        context.write(data, promise: promise)
    }
}
