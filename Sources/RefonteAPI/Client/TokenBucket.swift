/// The client-side rate limiter. Each caller reserves a token and is told how long to wait
/// for it; the wait happens outside the actor, as a task sleep, so no thread ever blocks and
/// waiting callers are served in the order they arrived.
///
/// It starts with one token, not a full burst: the server's bucket starts full, and a client
/// that opened with its whole burst would leave it empty, so that the least jitter on the way
/// made the next call early and earned a 429. Starting nearly empty keeps the server's burst as
/// slack; a client set to the server's own rate then never sees a 429 (docs/plans.md has the
/// measurements). The burst builds up again while the client is idle.
actor TokenBucket {
    private let rate: Double
    private let burst: Double
    private var tokens: Double
    /// The moment `tokens` was last brought up to date; it may lie in the future after a
    /// server asked us to pause, so that nothing refills before the pause ends.
    private var updated: Duration

    init(_ limit: RateLimit, now: Duration) {
        rate = limit.perSecond
        burst = Double(limit.burst)
        tokens = min(1, burst)
        updated = now
    }

    /// Takes one token and returns how long the caller must wait before using it.
    func reserve(now: Duration) -> Duration {
        refill(now: now)
        tokens -= 1
        let start = max(updated, now)
        let deficit = tokens < 0 ? -tokens / rate : 0
        return (start - now) + .seconds(deficit)
    }

    /// The server said "too many requests, come back later": stop handing out tokens until
    /// `until`, then restart gently (one token, no burst).
    func pause(until: Duration, now: Duration) {
        refill(now: now)
        tokens = min(tokens, 1)
        updated = max(updated, until)
    }

    private func refill(now: Duration) {
        guard now > updated else { return }
        tokens = min(burst, tokens + (now - updated).seconds * rate)
        updated = now
    }
}
