import Foundation

/// The paginated envelope `{docs, total, limit, offset, has_more, next_token}`.
struct Page {
    var total: Int64
    var limit: Int64
    var offset: Int64
    var hasMore: Bool
    var nextToken: String?
    /// Lists of batches repeat `total` as `totalDocs`.
    var withTotalDocs = false

    /// Writes the envelope around the documents that `docs` writes.
    func encode(capacity: Int = 4096, docs: (inout JSONWriter) throws -> Void) rethrows -> [UInt8] {
        var w = JSONWriter(capacity: capacity)
        w.beginObject()
        w.key("docs")
        w.beginArray()
        try docs(&w)
        w.endArray()
        w.field("total", Int(total))
        if withTotalDocs { w.field("totalDocs", Int(total)) }
        w.field("limit", Int(limit))
        w.field("offset", Int(offset))
        w.field("has_more", hasMore)
        w.field("next_token", nextToken)
        w.endObject()
        return w.bytes
    }
}

/// An opaque keyset cursor: the sequence number of the last row of the page. Rows come newest
/// first, so rows inserted while a client pages never shift the pages that follow.
enum Cursor {
    static func token(after seq: Int64) -> String {
        Data("seq:\(seq)".utf8).base64EncodedString()
    }

    static func seq(from token: String, operation: String) throws(SandboxError) -> Int64 {
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8),
            text.hasPrefix("seq:"), let seq = Int64(text.dropFirst(4)), seq > 0
        else {
            throw .badRequest("\(operation): next_token is not a token that this API returned")
        }
        return seq
    }
}
