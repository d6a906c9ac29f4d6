import Foundation

/// Runs blocking work (waiting for a child process, reading a pipe to its end) on a thread of
/// its own and suspends until it is done.
///
/// Swift Testing runs tests on the cooperative pool, which has one thread per core. On CI's
/// two cores, two tests blocked in `waitUntilExit` leave no thread for the servers and clients
/// that other tests run in this process, and those tests time out for no fault of their own.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result(catching: work)) }
        thread.name = "test-blocking-work"
        thread.start()
    }
}
