import GRDB

struct BatchRow: Sendable {
    var id: Int64
    var publicID: String
    var name: String
    var projectID: Int64
    var projectName: String
    var projectStudio: Bool
    var status: String
    var createdAt: Int64
    var callback: String?
    var calibration: Bool
    var selfLabel: Bool
    var metadata: String
    var priority: Int64?

    init(row: Row) {
        id = row[0]
        publicID = row[1]
        name = row[2]
        projectID = row[3]
        projectName = row[4]
        projectStudio = row[5]
        status = row[6]
        createdAt = row[7]
        callback = row[8]
        calibration = row[9]
        selfLabel = row[10]
        metadata = row[11]
        priority = row[12]
    }

    func write(into w: inout JSONWriter) {
        w.beginObject()
        w.field("name", name)
        w.field("project", projectName)
        w.field("status", status)
        w.field("created_at", Timestamp(milliseconds: createdAt).iso8601)
        w.field("callback", callback)
        w.field("calibration_batch", calibration)
        w.field("self_label_batch", selfLabel)
        w.key("metadata")
        w.raw(metadata)
        w.endObject()
    }
}

enum Batches {
    static let select = """
        SELECT b.id, b.public_id, b.name, b.project_id, p.name, p.studio, b.status, b.created_at, b.callback,
            b.calibration, b.self_label, b.metadata, b.priority
        FROM batch b JOIN project p ON p.id = b.project_id
        """

    static func named(_ db: Database, tenant: Int64, _ name: String) throws -> BatchRow? {
        try db.row("\(select) WHERE b.tenant_id = ? AND b.name = ?", [tenant, name]).map(BatchRow.init(row:))
    }

    static func require(_ db: Database, tenant: Int64, _ name: String, operation: String) throws -> BatchRow {
        guard let batch = try named(db, tenant: tenant, name) else {
            throw SandboxError.notFound("\(operation): no batch named \"\(name)\"")
        }
        return batch
    }

    static func encode(_ batch: BatchRow) -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        batch.write(into: &w)
        return w.bytes
    }

    /// A batch whose last pending task is done becomes `completed`, once it was finalized.
    static func refreshCompletion(_ db: Database, tenant: Int64) throws {
        try db.run(
            """
            UPDATE batch SET status = 'completed'
            WHERE tenant_id = ? AND status = 'in_progress'
              AND EXISTS (SELECT 1 FROM task WHERE task.batch_id = batch.id)
              AND NOT EXISTS (SELECT 1 FROM task WHERE task.batch_id = batch.id AND task.status = 'pending')
            """,
            [tenant]
        )
    }

    // MARK: - Studio view

    /// Pending batches of Studio projects, in priority order.
    static func pendingStudio(_ db: Database, tenant: Int64) throws -> [BatchRow] {
        try db.rows(
            "\(select) WHERE b.tenant_id = ? AND p.studio = 1 AND b.status != 'completed' ORDER BY b.priority, b.id",
            [tenant]
        ).map(BatchRow.init(row:))
    }

    /// The next priority for a new Studio batch: after every other one.
    static func nextPriority(_ db: Database, tenant: Int64) throws -> Int64 {
        (try db.int("SELECT MAX(priority) FROM batch WHERE tenant_id = ?", [tenant]) ?? 0) + 1
    }

    /// The pending Studio batches in priority order, each with its task counts and groups
    /// (a JSON array), in one query.
    private static let studioQuery = """
        SELECT b.public_id, b.name, b.project_id, p.name, b.calibration,
            (SELECT COUNT(*) FROM task WHERE task.batch_id = b.id),
            (SELECT COUNT(*) FROM task WHERE task.batch_id = b.id AND task.status = 'completed'),
            (SELECT json_group_array(name) FROM
                (SELECT name FROM batch_group WHERE batch_group.batch_id = b.id ORDER BY position)),
            b.id
        FROM batch b JOIN project p ON p.id = b.project_id
        WHERE b.tenant_id = ? AND p.studio = 1 AND b.status != 'completed'
        ORDER BY b.priority, b.id
        """

    private static func writeStudio(_ row: Row, position: Int, into w: inout JSONWriter) {
        w.beginObject()
        w.field("id", row[0] as String)
        w.field("name", row[1] as String)
        w.field("projectId", String(row[2] as Int64))
        w.field("projectName", row[3] as String)
        w.field("batchType", (row[4] as Bool) ? "Calibration" : "Production")
        w.field("studioPriority", position)
        w.field("total", row[5] as Int)
        w.field("completed", row[6] as Int)
        w.key("groups")
        w.raw(row[7] as String)
        w.endObject()
    }

    static func encodeStudioList(_ db: Database, tenant: Int64) throws -> [UInt8] {
        var w = JSONWriter(capacity: 4096)
        w.beginArray()
        for (index, row) in try db.rows(studioQuery, [tenant]).enumerated() {
            writeStudio(row, position: index + 1, into: &w)
        }
        w.endArray()
        return w.bytes
    }

    static func encodeStudio(_ db: Database, tenant: Int64, _ batch: BatchRow) throws -> [UInt8] {
        let rows = try db.rows(studioQuery, [tenant])
        var w = JSONWriter(capacity: 256)
        if let index = rows.firstIndex(where: { ($0[8] as Int64) == batch.id }) {
            writeStudio(rows[index], position: index + 1, into: &w)
        }
        return w.bytes
    }

    /// Numbers the pending Studio batches 1…n in the given order.
    static func renumber(_ db: Database, _ ordered: [Int64]) throws {
        for (index, id) in ordered.enumerated() {
            try db.run("UPDATE batch SET priority = ? WHERE id = ?", [index + 1, id])
        }
    }
}
