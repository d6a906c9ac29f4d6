/// The client's sense of time: a monotonic "now" and a way to wait. Tests inject a clock
/// that records the waits it is asked for and returns at once.
public struct ClientClock: Sendable {
    /// Time elapsed since an arbitrary, fixed origin.
    public var now: @Sendable () -> Duration
    /// Suspends the calling task (never a thread); throws when the task is cancelled.
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(
        now: @escaping @Sendable () -> Duration,
        sleep: @escaping @Sendable (Duration) async throws -> Void
    ) {
        self.now = now
        self.sleep = sleep
    }

    public static var system: ClientClock {
        let clock = ContinuousClock()
        let origin = clock.now
        return ClientClock(
            now: { clock.now - origin },
            sleep: { duration in
                if duration > .zero { try await clock.sleep(for: duration) }
            }
        )
    }
}
