/// The thread a script's Lua state lives on (and a REPL session's): a thread of its own,
/// started for the run and ended after it.
///
/// The Lua state is single-threaded, and a script blocks its thread whenever it computes or
/// reads a file (`csv.read`, `io`, `require`). On a thread of its own it delays nothing else:
/// the API client's connections live on the client's event loop, and a sandbox in the same
/// process serves on its server's loops. The tasks that await the script's API calls run here
/// too, so the Lua thread is resumed without a detour through the global executor.
public enum ScriptThread {
    /// Set inside `serve`: the task already runs on a thread that the script may have.
    @TaskLocal static var served = false

    public static func run<Result, Failure: Error>(
        _ body: () async throws(Failure) -> Result
    ) async throws(Failure) -> Result {
        if served { return try await body() }
        // Out of threads, the script still runs, on the global executor's threads.
        guard let executor = ThreadExecutor() else { return try await body() }
        defer { executor.finish() }
        return try await withTaskExecutorPreference(executor, operation: body)
    }

    /// Runs `body` on the calling thread, which the scripts that `body` runs then have as
    /// their thread (`run` starts none), and returns when it ends.
    ///
    /// For a synchronous `main` that has nothing else for its thread to do: `refonte run` then
    /// starts no thread that its script does not use, where an `async` main hands its work to
    /// the global executor's threads (three more, and a switch of thread for every step).
    public static func serve<Result: Sendable>(_ body: @escaping @Sendable () async -> Result) -> Result {
        ThreadExecutor.serve { await $served.withValue(true) { await body() } }
    }
}
