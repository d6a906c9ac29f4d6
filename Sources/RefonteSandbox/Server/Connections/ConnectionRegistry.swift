import Logging
import NIOCore
import Synchronization

/// Every open connection of one server, with what it is doing: times out those that wait too
/// long on their client, and makes room at the connection limit by closing the one that has
/// waited longest.
final class ConnectionRegistry: Sendable {
    let limits: ConnectionLimits
    private let logger: Logger
    private let connections = Mutex<[ObjectIdentifier: TrackedConnection]>([:])
    /// `connections.count`, readable on every response without taking the lock.
    private let openCount = Atomic<Int>(0)
    private let warnings: LimitWarnings

    init(limits: ConnectionLimits, logger: Logger) {
        self.limits = limits
        self.logger = logger
        self.warnings = LimitWarnings(logger: logger, limit: limits.maxConnections)
    }

    var count: Int { openCount.load(ordering: .relaxed) }

    /// Whether the connection limit is reached: the listener is then holding new connections back.
    var isFull: Bool { count >= limits.maxConnections }

    /// Tracks a new connection until it closes; at the limit, closes another to make room.
    func register(_ connection: TrackedConnection) {
        let id = ObjectIdentifier(connection)
        let limit = limits.maxConnections
        let (open, victims) = connections.withLock { connections -> (Int, [TrackedConnection]) in
            connections[id] = connection
            openCount.store(connections.count, ordering: .relaxed)
            // The listener may accept a few at once past the limit: room is made for all of them,
            // leaving one free slot so that accepting goes on.
            let excess = connections.count - (limit - 1)
            guard excess > 0 else { return (connections.count, []) }
            return (connections.count, claimLongestWaiting(excess, in: connections.values, except: id))
        }
        connection.channel.closeFuture.whenComplete { [weak self] _ in
            self?.connections.withLock { connections in
                connections.removeValue(forKey: id)
                self?.openCount.store(connections.count, ordering: .relaxed)
            }
        }
        if open >= limits.maxConnections {
            warnings.limitReached(open: open, madeRoom: !victims.isEmpty)
        }
        for victim in victims {
            close(victim, because: "to make room for a new connection", ifStill: victim.phase)
        }
    }

    /// Claims up to `count` connections that have waited longest on their clients: idle ones
    /// first, then those sending a head, then those sending a body. Connections being answered,
    /// and those already claimed, are never chosen. One that has waited less than `grace` goes
    /// last: a client just accepted in a flood of others has not been read yet, and must get
    /// the chance to send its request before the older ones that are only holding a slot.
    private func claimLongestWaiting(
        _ count: Int,
        in connections: some Sequence<TrackedConnection>,
        except id: ObjectIdentifier?,
        now: UInt64 = TrackedConnection.now()
    ) -> [TrackedConnection] {
        let grace = min(limits.headerTimeout / 2, .seconds(1)).nanoseconds
        func rank(_ phase: TrackedConnection.Phase) -> Int {
            switch phase {
            case .fresh, .idle: 0
            case .readingHead: 1
            case .readingBody: 2
            case .answering: 3
            }
        }
        var candidates: [(young: Bool, rank: Int, since: UInt64, connection: TrackedConnection)] = []
        for connection in connections where ObjectIdentifier(connection) != id && !connection.isClaimed {
            let phase = connection.phase
            guard phase.waitsOnClient else { continue }
            let since = connection.since
            let young = now < since || now - since < grace
            candidates.append((young, rank(phase), since, connection))
        }
        var chosen: [TrackedConnection] = []
        let order = candidates.sorted {
            ($0.young ? 1 : 0, $0.rank, $0.since) < ($1.young ? 1 : 0, $1.rank, $1.since)
        }
        for candidate in order {
            guard chosen.count < count else { break }
            if candidate.connection.claimForClosing() { chosen.append(candidate.connection) }
        }
        return chosen
    }

    /// Closes every connection that has waited on its client past its timeout. Runs every
    /// `sweepInterval` while the server runs.
    func sweep(now: UInt64 = TrackedConnection.now()) {
        let expired = connections.withLock { connections in
            connections.values.compactMap {
                connection -> (TrackedConnection, TrackedConnection.Phase, String)? in
                let phase = connection.phase
                guard let reason = expiry(of: connection, phase: phase, now: now) else { return nil }
                return (connection, phase, reason)
            }
        }
        for (connection, phase, reason) in expired { close(connection, because: reason, ifStill: phase) }
        // Connections that were all being answered when the limit was reached may since have
        // started waiting on their clients; the listener is held back until one closes.
        if expired.isEmpty, isFull {
            let limit = limits.maxConnections
            let victims = connections.withLock { connections in
                claimLongestWaiting(connections.count - (limit - 1), in: connections.values, except: nil)
            }
            for victim in victims {
                close(victim, because: "to make room at the connection limit", ifStill: victim.phase)
            }
        }
    }

    /// Why `connection` has waited too long, or nil.
    private func expiry(
        of connection: TrackedConnection,
        phase: TrackedConnection.Phase,
        now: UInt64
    ) -> String? {
        let waited = now >= connection.since ? now - connection.since : 0
        func over(_ limit: Duration) -> Bool { waited >= limit.nanoseconds }
        switch phase {
        case .fresh where over(limits.headerTimeout):
            return "it sent no request within the header timeout (\(limits.headerTimeout))"
        case .idle where over(limits.idleTimeout):
            return "it was idle for the idle timeout (\(limits.idleTimeout))"
        case .readingHead where over(limits.headerTimeout) && connection.readPending:
            return "its request head did not arrive within the header timeout (\(limits.headerTimeout))"
        case .readingBody where over(limits.idleTimeout) && connection.readPending:
            return "its request body stalled for the idle timeout (\(limits.idleTimeout))"
        default:
            return nil
        }
    }

    /// Closes on the connection's own loop, where its phase cannot change under the check, and
    /// only if it is still doing what it was chosen for.
    private func close(
        _ connection: TrackedConnection,
        because reason: String,
        ifStill phase: TrackedConnection.Phase
    ) {
        let logger = self.logger
        connection.channel.eventLoop.execute {
            guard connection.phase == phase, connection.channel.isActive else {
                connection.releaseClaim()
                return
            }
            logger.debug(
                "closing a connection: \(reason)",
                metadata: ["remote": "\(connection.channel.remoteAddress?.description ?? "?")"]
            )
            connection.channel.close(promise: nil)
        }
    }

    /// How often `sweep` runs: often enough that a timeout fires within a quarter of itself.
    var sweepInterval: Duration {
        let shortest = min(limits.headerTimeout, limits.idleTimeout)
        return min(max(shortest / 4, .milliseconds(25)), .seconds(1))
    }
}

extension Duration {
    fileprivate var nanoseconds: UInt64 {
        let parts = components
        return UInt64(max(0, parts.seconds)) * 1_000_000_000 + UInt64(max(0, parts.attoseconds))
            / 1_000_000_000
    }
}

/// The log line for the connection limit: said when the limit is first reached, then at most
/// once a minute with how often it was reached since, so an attack does not flood the log.
final class LimitWarnings: Sendable {
    private struct State {
        var lastWarning: UInt64?
        var reachedSince = 0
    }

    private let logger: Logger
    private let limit: Int
    private let state = Mutex(State())
    private static let quietPeriod: UInt64 = 60_000_000_000

    init(logger: Logger, limit: Int) {
        self.logger = logger
        self.limit = limit
    }

    func limitReached(open: Int, madeRoom: Bool, now: UInt64 = TrackedConnection.now()) {
        let times: Int? = state.withLock { state in
            state.reachedSince += 1
            if let last = state.lastWarning, now - last < Self.quietPeriod { return nil }
            defer {
                state.lastWarning = now
                state.reachedSince = 0
            }
            return state.reachedSince
        }
        guard let times else { return }
        let action =
            madeRoom
            ? "closing the connection that has waited longest on its client to make room"
            : "every connection has a request in progress, so new connections wait until one ends"
        let repeated = times > 1 ? " (reached \(times) times since the last warning)" : ""
        logger.warning(
            "connection limit reached: \(open) connections open (--max-connections \(limit)); \(action)\(repeated)"
        )
    }
}
