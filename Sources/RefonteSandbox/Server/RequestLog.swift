import RefonteAPI
import Synchronization

/// What API requests the sandbox received, per account and mode: counters since the start (or
/// the last clear), the latest requests themselves, and how many it answered at once.
/// `GET /sandbox/requests` serves it, so a test or a user can see, say, that a dry run sent no
/// write, that a paced client earned no 429, or that a bulk job really had 32 calls in flight.
final class RequestLog: Sendable {
    struct Entry: Sendable {
        var seq: Int64
        var time: Timestamp
        var method: String
        var path: String
        var operation: String
        var mutates: Bool
        /// nil when the connection was dropped on purpose (the `reset` fault).
        var status: Int?
        /// The injected fault that decided the answer, if any.
        var fault: String?
    }

    private struct Tenant {
        var entries: [Entry] = []
        var total = 0
        var writes = 0
        var byMethod: [String: Int] = [:]
        var byOperation: [String: Int] = [:]
        var byStatus: [String: Int] = [:]
        /// Requests between `began` and `ended` now, and the most there were at once.
        var inFlight = 0
        var peakInFlight = 0
    }

    /// Requests kept per account (at least this many of the latest); the counters cover every
    /// request.
    let capacity: Int
    private let state = Mutex<(next: Int64, tenants: [Int64: Tenant])>((1, [:]))

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// A request of `tenant` is being answered (from its key check until its answer is ready);
    /// `ended` must follow.
    func began(tenant: Int64) {
        state.withLock { Self.enter(&$0.tenants[tenant, default: Tenant()]) }
    }

    func ended(tenant: Int64) {
        state.withLock { state in
            guard state.tenants[tenant] != nil else { return }
            Self.leave(&state.tenants[tenant, default: Tenant()])
        }
    }

    private static func enter(_ log: inout Tenant) {
        log.inFlight += 1
        log.peakInFlight = max(log.peakInFlight, log.inFlight)
    }

    private static func leave(_ log: inout Tenant) {
        log.inFlight = max(0, log.inFlight - 1)
    }

    func record(
        tenant: Int64,
        method: String,
        path: String,
        operation: String,
        mutates: Bool,
        status: Int?,
        fault: String?
    ) {
        let time = Timestamp.now()
        state.withLock { state in
            let seq = state.next
            state.next += 1
            // Changed in place: a copy of the tenant would copy its 10,000 entries per request.
            Self.add(
                Entry(
                    seq: seq,
                    time: time,
                    method: method,
                    path: path,
                    operation: operation,
                    mutates: mutates,
                    status: status,
                    fault: fault
                ),
                to: &state.tenants[tenant, default: Tenant()],
                capacity: capacity
            )
        }
    }

    private static func add(_ entry: Entry, to log: inout Tenant, capacity: Int) {
        log.entries.append(entry)
        // Trimmed a quarter at a time, so that a request does not pay for moving them all.
        if log.entries.count > capacity + capacity / 4 {
            log.entries.removeFirst(log.entries.count - capacity)
        }
        log.total += 1
        if entry.mutates { log.writes += 1 }
        log.byMethod[entry.method, default: 0] += 1
        log.byOperation[entry.operation, default: 0] += 1
        log.byStatus[entry.status.map(String.init) ?? "reset", default: 0] += 1
    }

    /// Forgets an account's requests and counters; the peak starts again from the requests in
    /// flight now, which still end later.
    func clear(tenant: Int64) {
        state.withLock { state in
            let inFlight = state.tenants.removeValue(forKey: tenant)?.inFlight ?? 0
            if inFlight > 0 { state.tenants[tenant] = Tenant(inFlight: inFlight, peakInFlight: inFlight) }
        }
    }

    /// `{total, reads, writes, by_method, by_operation, by_status, in_flight, peak_in_flight,
    /// requests: [...], next_since}`:
    /// the requests after `since` (a `seq`), at most `limit`, oldest first.
    func json(tenant: Int64, since: Int64, limit: Int) -> [UInt8] {
        let (log, next) = state.withLock { ($0.tenants[tenant] ?? Tenant(), $0.next) }
        let entries = log.entries.filter { $0.seq > since }.prefix(limit)
        func counts(_ table: [String: Int]) -> JSONValue { .object(table.mapValues { .integer(Int64($0)) }) }
        let requests: [JSONValue] = entries.map { entry in
            .object([
                "seq": .integer(entry.seq),
                "time": .string(entry.time.iso8601),
                "method": .string(entry.method),
                "path": .string(entry.path),
                "operation": .string(entry.operation),
                "mutates": .bool(entry.mutates),
                "status": entry.status.map { .integer(Int64($0)) } ?? .null,
                "fault": entry.fault.map(JSONValue.string) ?? .null,
            ])
        }
        return JSONValue.object([
            "total": .integer(Int64(log.total)),
            "reads": .integer(Int64(log.total - log.writes)),
            "writes": .integer(Int64(log.writes)),
            "by_method": counts(log.byMethod),
            "by_operation": counts(log.byOperation),
            "by_status": counts(log.byStatus),
            "in_flight": .integer(Int64(log.inFlight)),
            "peak_in_flight": .integer(Int64(log.peakInFlight)),
            "requests": .array(requests),
            "next_since": .integer(entries.last?.seq ?? max(since, next - 1)),
        ]).encoded()
    }
}
