import Synchronization

/// What a client did during a run, for the summary at its end: calls by operation, retries,
/// recoveries and the time spent waiting on the rate limiter.
///
/// Throttled time is wall-clock time during which at least one call waited for the limiter,
/// so 32 calls waiting together for a second count as one second, not 32.
public final class CallStatistics: Sendable {
    public struct Snapshot: Sendable, Hashable {
        /// Requests the script asked for, by operation id (retries not counted again).
        public var calls: [String: Int] = [:]
        /// Attempts sent again after a failure.
        public var retries = 0
        /// Writes whose ambiguous attempt was resolved by a read (`RetryClass.checked` and
        /// `.idempotentByKey`).
        public var recoveries = 0
        /// Reads the client made to find out what an ambiguous write did.
        public var recoveryReads = 0
        public var throttled: Duration = .zero

        public var totalCalls: Int { calls.values.reduce(0, +) }
    }

    private struct State {
        var snapshot = Snapshot()
        var waiting = 0
        var waitingSince: Duration = .zero
    }

    private let state = Mutex(State())

    public init() {}

    /// The figures so far; a wait still going on counts once it ends.
    public func snapshot() -> Snapshot {
        state.withLock { $0.snapshot }
    }

    func called(_ operationID: String) {
        state.withLock { $0.snapshot.calls[operationID, default: 0] += 1 }
    }

    func retried() {
        state.withLock { $0.snapshot.retries += 1 }
    }

    func recoveryRead() {
        state.withLock { $0.snapshot.recoveryReads += 1 }
    }

    func recovered() {
        state.withLock { $0.snapshot.recoveries += 1 }
    }

    func beginWait(now: Duration) {
        state.withLock { state in
            if state.waiting == 0 { state.waitingSince = now }
            state.waiting += 1
        }
    }

    func endWait(now: Duration) {
        state.withLock { state in
            state.waiting -= 1
            if state.waiting == 0 { state.snapshot.throttled += now - state.waitingSince }
        }
    }
}
