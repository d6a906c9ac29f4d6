import NIOCore
import NIOPosix
import RefonteAPI

/// The thread a script's Lua state lives on (and a REPL session's): an event loop of its own,
/// started for the run and stopped after it.
///
/// The Lua state is single-threaded, and a script blocks its thread whenever it computes or
/// reads a file (`csv.read`, `io`, `require`). On a loop of its own it delays nothing else:
/// the API client's connections live on the client's loop, and a sandbox in the same process
/// serves on its server's loops. The tasks that await the script's API calls run here too, so
/// the Lua thread is resumed without a detour through the global executor.
public enum ScriptThread {
    public static func run<Result, Failure: Error>(
        _ body: () async throws(Failure) -> Result
    ) async throws(Failure) -> Result {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let executor = EventLoopExecutor(eventLoop: group.next())
        let outcome: Swift.Result<Result, Failure>
        do throws(Failure) {
            outcome = .success(try await withTaskExecutorPreference(executor, operation: body))
        } catch {
            outcome = .failure(error)
        }
        try? await group.shutdownGracefully()
        return try outcome.get()
    }
}
