import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import RefonteAPI

/// An HTTP/1.1 child channel whose request handling runs on the connection's own event loop.
///
/// Hummingbird handles each connection in a task on the global executor, so every request
/// crosses threads twice (event loop → task → event loop). A client that makes one call at a
/// time waits for both crossings on every call; pinning the task to the connection's loop
/// removes them. Handlers that await the database still hop to GRDB's queue and back.
struct EventLoopPinnedChannel<Base: ServerChildChannel>: ServerChildChannel {
    let base: Base

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Base.Value> {
        base.setup(channel: channel, logger: logger)
    }

    func handle(value: Base.Value, logger: Logger) async {
        let executor = EventLoopExecutor(eventLoop: value.channel.eventLoop)
        await withTaskExecutorPreference(executor) {
            await base.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with each connection's requests handled on that connection's event loop, and
    /// each connection watched by `registry`.
    static func pinnedHTTP1(guardedBy registry: ConnectionRegistry) -> HTTPServerBuilder {
        .init { responder in
            EventLoopPinnedChannel(
                base: GuardedChannel(
                    base: HTTP1Channel(responder: responder, configuration: .init()),
                    registry: registry
                )
            )
        }
    }
}
