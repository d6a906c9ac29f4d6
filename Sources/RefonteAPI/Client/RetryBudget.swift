import Synchronization

/// A run's allowance of retries, so that a dead server is not hammered: every retry costs a
/// token, every success refunds one, up to the capacity. While the server mostly answers,
/// the budget stays full; when nothing succeeds, it runs out after `capacity` retries and
/// later failures are reported at once instead of being retried.
final class RetryBudget: Sendable {
    let capacity: Int
    private let tokens: Mutex<Int>

    init(capacity: Int) {
        self.capacity = max(0, capacity)
        self.tokens = Mutex(self.capacity)
    }

    /// Takes a token for one retry; false when none is left.
    func spend() -> Bool {
        tokens.withLock { tokens in
            guard tokens > 0 else { return false }
            tokens -= 1
            return true
        }
    }

    func refund() {
        tokens.withLock { $0 = min(capacity, $0 + 1) }
    }

    var remaining: Int { tokens.withLock { $0 } }
}
