import NIOCore

/// Runs Swift tasks on one NIO event loop (`withTaskExecutorPreference(executor) { ... }`).
///
/// The sandbox handles each connection's requests on that connection's loop this way
/// (`EventLoopPinnedChannel`).
final class EventLoopExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
