import Foundation
import GRDB

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

/// A newest-first list paged by keyset: rows are numbered by a `seq` column, and a page ends
/// where the next one starts with `seq < last`. `tasks.list` and `quality.attempts.list` page
/// this way.
struct CursorPaging {
    /// `FROM ...` with its joins, the rows that `filter` narrows.
    var from: String
    /// The columns to read, `seq` among them.
    var columns: String
    /// The qualified sequence column, such as `t.seq`.
    var seq: String

    /// One page of at most `limit` rows after the cursor `after`, with `total` counting every
    /// row the filter matches.
    func page(
        _ db: Database,
        filter: SQLFilter,
        limit: Int64,
        after: Int64?,
        seqOf: (Row) -> Int64
    ) throws -> (rows: ArraySlice<Row>, envelope: Page) {
        let total =
            try Int64.fetchOne(
                db,
                sql: "SELECT COUNT(*) \(from) WHERE \(filter.clause)",
                arguments: filter.arguments
            )
            ?? 0
        var filter = filter
        if let after { filter.and("\(seq) < ?", [after]) }
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT \(columns) \(from) WHERE \(filter.clause) ORDER BY \(seq) DESC LIMIT ?",
            arguments: filter.arguments + [limit + 1]
        )
        let page = rows.prefix(Int(limit))
        let hasMore = rows.count > Int(limit)
        let next = hasMore ? page.last.map { Cursor.token(after: seqOf($0)) } : nil
        return (page, Page(total: total, limit: limit, offset: 0, hasMore: hasMore, nextToken: next ?? nil))
    }
}
