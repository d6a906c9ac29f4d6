/// When and how long to wait before sending a failed request again.
///
/// Waits grow exponentially with "full jitter" (a uniform draw between zero and the cap), so
/// many coroutines that failed together do not come back together.
public struct RetryPolicy: Sendable, Hashable {
    /// Tries that may fail, the first one included; 429s, which only ask to wait, do not
    /// count. 1 turns retries off.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// A `Retry-After` longer than this is not waited for: the call fails with `retryAfter`
    /// set, so the script can decide.
    public var maxRetryAfter: Duration
    /// The run's retry budget: retries cost a token each, successes refund one. When it is
    /// spent, failures are reported at once (a dead server is not hammered).
    public var budget: Int

    public init(
        maxAttempts: Int = 8,
        baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(10),
        maxRetryAfter: Duration = .seconds(120),
        budget: Int = 50
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.budget = max(0, budget)
    }

    public static let none = RetryPolicy(maxAttempts: 1, budget: 0)

    /// The largest backoff after the given failed attempt (1-based), before jitter.
    public func backoffCap(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let cap = baseDelay.seconds * Double(1 << exponent)
        return .seconds(min(cap, maxDelay.seconds))
    }

    /// A full-jitter wait after the given failed attempt: uniform in `0...cap`.
    public func backoff(afterAttempt attempt: Int) -> Duration {
        let cap = backoffCap(afterAttempt: attempt).seconds
        return .seconds(cap > 0 ? Double.random(in: 0...cap) : 0)
    }
}

extension Duration {
    /// The duration as a floating-point number of seconds.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
