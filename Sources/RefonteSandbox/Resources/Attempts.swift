import GRDB

/// A labeler's training attempt on a quality task (the `TrainingAttempt` object).
enum Attempts {
    static let paging = CursorPaging(
        from: "FROM attempt a JOIN task t ON t.seq = a.task_seq",
        columns:
            "a.seq, a.public_id, a.labeler_email, t.task_id, a.project_name, a.score, a.passed, a.created_at",
        seq: "a.seq"
    )
    static let select = "SELECT \(paging.columns) \(paging.from)"

    static func write(_ row: Row, into w: inout JSONWriter) {
        w.beginObject()
        w.field("id", row[1] as String)
        w.field("labeler_email", row[2] as String)
        w.field("quality_task_id", row[3] as String)
        w.field("project", row[4] as String)
        w.key("score")
        w.double(row[5] as Double)
        w.field("passed", row[6] as Bool)
        w.field("created_at", Timestamp(milliseconds: row[7]).iso8601)
        w.endObject()
    }

    static func insert(
        _ db: Database,
        tenant: Int64,
        taskSeq: Int64,
        email: String,
        project: String,
        score: Double,
        passed: Bool,
        now: Timestamp
    ) throws -> Int64 {
        try db.run(
            """
            INSERT INTO attempt (public_id, tenant_id, task_seq, labeler_email, project_name, score, passed, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [RandomID.make(), tenant, taskSeq, email, project, score, passed, now.milliseconds]
        )
        return db.lastInsertedRowID
    }
}
