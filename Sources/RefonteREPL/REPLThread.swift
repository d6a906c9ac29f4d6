import NIOCore
import NIOPosix
import RefonteAPI

/// The thread a REPL's Lua state lives on: an event loop of its own for the session.
///
/// The REPL blocks this thread while the line editor waits for keys, and Tab may wait here
/// for the first list of projects; on a loop of its own that delays nothing else (the API
/// client's connections and an embedded sandbox run on their own loops). Statements, and the
/// tasks that await their API calls, run here too, as a script's do.
enum REPLThread {
    static func run<Result>(_ body: () async -> Result) async -> Result {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let executor = EventLoopExecutor(eventLoop: group.next())
        let result = await withTaskExecutorPreference(executor, operation: body)
        try? await group.shutdownGracefully()
        return result
    }
}
