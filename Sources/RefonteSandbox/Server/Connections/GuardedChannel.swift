import HummingbirdCore
import Logging
import NIOCore

/// An HTTP/1.1 child channel whose connection is watched and registered, so that the registry
/// can time it out or close it to make room (see `ConnectionRegistry`).
struct GuardedChannel<Base: ServerChildChannel>: ServerChildChannel {
    let base: Base
    let registry: ConnectionRegistry

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Base.Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let connection = TrackedConnection(channel: channel, now: TrackedConnection.now())
            let pipeline = channel.pipeline.syncOperations
            // Bytes are watched before any decoding, so a request counts from its first byte;
            // parts are watched just before Hummingbird's own connection state.
            try pipeline.addHandler(ByteWatch(connection), position: .first)
            let state = try pipeline.handler(type: HTTPConnectionStateHandler.self)
            try pipeline.addHandler(PartWatch(connection, registry: registry), position: .before(state))
            registry.register(connection)
            return value
        }
    }

    func handle(value: Base.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
