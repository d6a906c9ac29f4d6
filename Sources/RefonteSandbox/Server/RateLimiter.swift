import RefonteAPI
import Synchronization

/// A token bucket per API key.
final class RateLimiter: Sendable {
    struct Decision: Sendable {
        var allowed: Bool
        var limit: Int
        var remaining: Int
        /// Seconds until the bucket is full again.
        var reset: Int
        /// Seconds to wait before the next request can pass (when refused).
        var retryAfter: Int
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let limit: RateLimit
    private let buckets = Mutex<[String: Bucket]>([:])
    private let clock = ContinuousClock()

    init(limit: RateLimit) {
        self.limit = limit
    }

    func take(key: String) -> Decision {
        let now = clock.now
        let rate = limit.perSecond
        let burst = Double(limit.burst)
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            let elapsed = bucket.updated.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(burst, bucket.tokens + seconds * rate)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[key] = bucket
            let reset = Int(((burst - bucket.tokens) / rate).rounded(.up))
            let retryAfter = allowed ? 0 : max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
            return Decision(
                allowed: allowed,
                limit: limit.wholePerSecond,
                remaining: max(0, Int(bucket.tokens.rounded(.down))),
                reset: reset,
                retryAfter: retryAfter
            )
        }
    }
}
