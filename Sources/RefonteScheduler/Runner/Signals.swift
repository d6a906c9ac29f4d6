import Foundation
import Synchronization

/// A one-shot request to stop a run, with the reason to record. `wait()` returns the reason once
/// `stop` is called, or throws `CancellationError` if its task is cancelled first.
final class StopSwitch: Sendable {
    private struct State {
        var reason: String?
        var waiter: CheckedContinuation<String, any Error>?
    }

    private let state = Mutex(State())

    var reason: String? { state.withLock { $0.reason } }

    /// The first reason wins.
    func stop(_ reason: String) {
        let waiter = state.withLock { state -> CheckedContinuation<String, any Error>? in
            guard state.reason == nil else { return nil }
            state.reason = reason
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: reason)
    }

    func wait() async throws -> String {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let ready = state.withLock { state -> Result<String, any Error>? in
                    if let reason = state.reason { return .success(reason) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }
}

/// Wakes the scheduler's loop before its deadline: a run finished (another may start now), or
/// a shutdown began. A poke while the loop is busy is kept for its next wait.
final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, any Error>?
    }

    private let state = Mutex(State())

    func poke() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the next poke (or at once for one that came meanwhile).
    func wait() async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow {
                    if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } else {
                        continuation.resume()
                    }
                }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Waits until `deadline` on `clock`, or a poke, whichever comes first.
    func wait(until deadline: Date, on clock: any SchedulerClock) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await clock.sleep(until: deadline) }
            group.addTask { try? await self.wait() }
            await group.next()
            group.cancelAll()
        }
    }
}
