/// The thread a script's Lua state lives on (and a REPL session's): a thread of its own,
/// started for the run and ended after it.
///
/// The Lua state is single-threaded, and a script blocks its thread whenever it computes or
/// reads a file (`csv.read`, `io`, `require`). On a thread of its own it delays nothing else:
/// the API client's connections live on the client's event loop, and a sandbox in the same
/// process serves on its server's loops. The tasks that await the script's API calls run here
/// too, so the Lua thread is resumed without a detour through the global executor.
public enum ScriptThread {
    public static func run<Result, Failure: Error>(
        _ body: () async throws(Failure) -> Result
    ) async throws(Failure) -> Result {
        // Out of threads, the script still runs, on the global executor's threads.
        guard let executor = ThreadExecutor() else { return try await body() }
        defer { executor.finish() }
        return try await withTaskExecutorPreference(executor, operation: body)
    }
}
