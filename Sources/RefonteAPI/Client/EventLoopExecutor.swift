import AsyncHTTPClient
import NIOCore

/// Runs Swift tasks on one NIO event loop.
///
/// A script's Lua thread awaits every API call; when that thread, the client's connection and
/// the tasks that await the answers all share one loop, a call costs no thread switch on the
/// way out or back (`withTaskExecutorPreference(executor) { ... }`).
public final class EventLoopExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(eventLoop: any EventLoop = HTTPClient.defaultEventLoopGroup.next()) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
