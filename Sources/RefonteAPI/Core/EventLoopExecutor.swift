import NIOCore

/// Runs Swift tasks on one NIO event loop (`withTaskExecutorPreference(executor) { ... }`).
///
/// A script's Lua state runs on a loop of its own this way (`ScriptThread`), and the sandbox
/// handles each connection's requests on that connection's loop (`EventLoopPinnedChannel`).
public final class EventLoopExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
