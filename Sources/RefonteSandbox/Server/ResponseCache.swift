import NIOCore
import Synchronization

/// Bodies of recent read responses, each valid while its tenant's data is unchanged.
///
/// The bench's hot path (GET /v1/teams) then costs a dictionary lookup instead of a query and a
/// serialisation. Every write bumps the tenant's generation in the store after it commits, so a
/// body read before a write can never be served after it.
///
/// The cache is bounded in bytes (keys and bodies), not only in entries: every distinct query
/// string is a new key, so one key holder walking `start_time` values or repeating long query
/// values would otherwise keep thousands of large pages in memory.
final class ResponseCache: Sendable {
    private struct Entry {
        var generation: UInt64
        var body: ByteBuffer
    }

    private struct Contents {
        var entries: [String: Entry] = [:]
        var bytes = 0
    }

    private let contents = Mutex(Contents())
    private let capacity: Int
    /// Larger bodies are not kept: one would crowd out the many small ones that make the cache pay.
    private let largestBody: Int

    init(capacity: Int = 16 << 20, largestBody: Int = 256 << 10) {
        self.capacity = capacity
        self.largestBody = largestBody
    }

    func body(for key: String, generation: UInt64) -> ByteBuffer? {
        contents.withLock { contents in
            guard let entry = contents.entries[key], entry.generation == generation else { return nil }
            return entry.body
        }
    }

    func store(_ body: ByteBuffer, for key: String, generation: UInt64) {
        let size = key.utf8.count + body.readableBytes
        guard size <= largestBody else { return }
        contents.withLock { contents in
            if let old = contents.entries[key] {
                contents.bytes -= key.utf8.count + old.body.readableBytes
            }
            // Dropping everything is crude but cheap, and the hot entries come back at once.
            if contents.bytes + size > capacity {
                contents.entries.removeAll(keepingCapacity: true)
                contents.bytes = 0
            }
            contents.entries[key] = Entry(generation: generation, body: body)
            contents.bytes += size
        }
    }

    /// Bytes held, keys and bodies.
    var size: Int { contents.withLock { $0.bytes } }
}
