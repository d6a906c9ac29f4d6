import NIOCore
import Synchronization

/// What one connection is doing, written by its watchers on its event loop and read by the
/// registry from any thread (to pick a connection to close, or to time one out).
final class TrackedConnection: Sendable {
    enum Phase: UInt8 {
        /// Open, and nothing of a first request has arrived.
        case fresh
        /// Between requests on a kept-alive connection.
        case idle
        /// Some bytes of a request have arrived, not yet its whole head.
        case readingHead
        /// The head has arrived, not yet the end of the body.
        case readingBody
        /// The whole request is in; the server is answering it.
        case answering

        /// Whether the connection is waiting on its client, and so may be timed out or closed
        /// to make room. An answering connection is the server's own work, never cut.
        var waitsOnClient: Bool { self != .answering }
    }

    let channel: any Channel
    private let phaseValue = Atomic<UInt8>(Phase.fresh.rawValue)
    /// When the phase began, or for `readingBody` when the last byte arrived (uptime ns).
    private let sinceValue: Atomic<UInt64>
    /// Whether the channel has asked the socket for more bytes: if not, the server is holding
    /// the client back (a handler still busy with an earlier request), and a stalled request
    /// is not the client's fault.
    private let readPendingValue = Atomic<Bool>(true)
    /// Chosen to be closed, to make room: not to be chosen again while the close is under way.
    private let closingValue = Atomic<Bool>(false)

    init(channel: any Channel, now: UInt64) {
        self.channel = channel
        self.sinceValue = Atomic(now)
    }

    var phase: Phase { Phase(rawValue: phaseValue.load(ordering: .relaxed)) ?? .answering }
    var since: UInt64 { sinceValue.load(ordering: .relaxed) }
    var readPending: Bool { readPendingValue.load(ordering: .relaxed) }

    func enter(_ phase: Phase, at now: UInt64) {
        sinceValue.store(now, ordering: .relaxed)
        phaseValue.store(phase.rawValue, ordering: .relaxed)
    }

    /// For `readingBody`: a byte arrived, so the silence starts again.
    func touch(at now: UInt64) {
        sinceValue.store(now, ordering: .relaxed)
    }

    /// Marks the connection as chosen to be closed; false when it already was.
    func claimForClosing() -> Bool {
        closingValue.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged
    }

    func releaseClaim() {
        closingValue.store(false, ordering: .relaxed)
    }

    var isClaimed: Bool { closingValue.load(ordering: .relaxed) }

    func setReadPending(_ pending: Bool) {
        readPendingValue.store(pending, ordering: .relaxed)
    }

    static func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }
}
