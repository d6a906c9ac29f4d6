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

    static func writeStudio(_ db: Database, _ batch: BatchRow, position: Int, into w: inout JSONWriter) throws
    {
        let total = try db.int("SELECT COUNT(*) FROM task WHERE batch_id = ?", [batch.id]) ?? 0
        let completed =
            try db.int("SELECT COUNT(*) FROM task WHERE batch_id = ? AND status = 'completed'", [batch.id])
            ?? 0
        let groups = try db.strings(
            "SELECT name FROM batch_group WHERE batch_id = ? ORDER BY position",
            [batch.id]
        )
        w.beginObject()
        w.field("id", batch.publicID)
        w.field("name", batch.name)
        w.field("projectId", String(batch.projectID))
        w.field("projectName", batch.projectName)
        w.field("batchType", batch.calibration ? "Calibration" : "Production")
        w.field("studioPriority", position)
        w.field("total", Int(total))
        w.field("completed", Int(completed))
        w.field("groups", strings: groups)
        w.endObject()
    }

    static func encodeStudioList(_ db: Database, tenant: Int64) throws -> [UInt8] {
        var w = JSONWriter(capacity: 2048)
        w.beginArray()
        for (index, batch) in try pendingStudio(db, tenant: tenant).enumerated() {
            try writeStudio(db, batch, position: index + 1, into: &w)
        }
        w.endArray()
        return w.bytes
    }

    static func encodeStudio(_ db: Database, tenant: Int64, _ batch: BatchRow) throws -> [UInt8] {
        let order = try pendingStudio(db, tenant: tenant)
        let position = (order.firstIndex { $0.id == batch.id } ?? order.count) + 1
        var w = JSONWriter(capacity: 256)
        try writeStudio(db, batch, position: position, into: &w)
        return w.bytes
    }

    /// Numbers the pending Studio batches 1…n in the given order.
    static func renumber(_ db: Database, _ ordered: [Int64]) throws {
        for (index, id) in ordered.enumerated() {
            try db.run("UPDATE batch SET priority = ? WHERE id = ?", [index + 1, id])
        }
    }
}
