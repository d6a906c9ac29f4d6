import NIOCore
import Synchronization

/// Bodies of recent read responses, each valid while its tenant's data is unchanged.
///
/// The bench's hot path (GET /v1/teams) then costs a dictionary lookup instead of a query and a
/// serialisation. Every write bumps the tenant's generation in the store after it commits, so a
/// body read before a write can never be served after it.
final class ResponseCache: Sendable {
    private struct Entry {
        var generation: UInt64
        var body: ByteBuffer
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    func body(for key: String, generation: UInt64) -> ByteBuffer? {
        entries.withLock { entries in
            guard let entry = entries[key], entry.generation == generation else { return nil }
            return entry.body
        }
    }

    func store(_ body: ByteBuffer, for key: String, generation: UInt64) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(generation: generation, body: body)
        }
    }
}
