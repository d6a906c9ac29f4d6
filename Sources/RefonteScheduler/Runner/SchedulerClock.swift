import Foundation

/// The scheduler's sense of time. Everything time-dependent (fires, leases, polls, the grace
/// period) goes through it, so a test can move time instead of waiting.
public protocol SchedulerClock: Sendable {
    func now() -> Date
    /// Returns once `now()` has reached `deadline`; throws `CancellationError` when cancelled.
    func sleep(until deadline: Date) async throws
}

/// The wall clock.
public struct SystemClock: SchedulerClock {
    public init() {}

    public func now() -> Date { Date() }

    /// Sleeps in steps of at most a minute, so a wall clock set forward is noticed within one.
    public func sleep(until deadline: Date) async throws {
        while true {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return }
            try await Task.sleep(for: .milliseconds(Int64(min(left, 60) * 1000) + 1))
        }
    }
}
