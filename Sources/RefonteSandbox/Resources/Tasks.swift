import GRDB

struct TaskRow: Sendable {
    var seq: Int64
    var taskID: String
    var type: String
    var status: String
    var projectName: String
    var batchName: String?
    var createdAt: Int64
    var updatedAt: Int64
    var completedAt: Int64?
    var instruction: String?
    var callbackURL: String?
    var params: String
    var metadata: String
    var uniqueID: String?
    var tags: String
    var response: String?
    var projectID: Int64
    var batchID: Int64?

    init(row: Row) {
        seq = row[0]
        taskID = row[1]
        type = row[2]
        status = row[3]
        projectName = row[4]
        batchName = row[5]
        createdAt = row[6]
        updatedAt = row[7]
        completedAt = row[8]
        instruction = row[9]
        callbackURL = row[10]
        params = row[11]
        metadata = row[12]
        uniqueID = row[13]
        tags = row[14]
        response = row[15]
        projectID = row[16]
        batchID = row[17]
    }

    /// `includeResponse: false` is the list's `limited_response`.
    func write(into w: inout JSONWriter, includeResponse: Bool = true) {
        w.beginObject()
        w.field("task_id", taskID)
        w.field("type", type)
        w.field("status", status)
        w.field("project", projectName)
        w.field("batch", batchName)
        w.field("created_at", Timestamp(milliseconds: createdAt).iso8601)
        w.field("updated_at", Timestamp(milliseconds: updatedAt).iso8601)
        if let completedAt { w.field("completed_at", Timestamp(milliseconds: completedAt).iso8601) }
        w.field("instruction", instruction)
        w.field("callback_url", callbackURL)
        w.key("params")
        w.raw(params)
        w.key("metadata")
        w.raw(metadata)
        if let uniqueID { w.field("unique_id", uniqueID) }
        w.key("tags")
        w.raw(tags)
        if includeResponse, let response {
            w.key("response")
            w.raw(response)
        }
        w.endObject()
    }
}

enum Tasks {
    static let columns = """
        t.seq, t.task_id, t.type, t.status, p.name, b.name, t.created_at, t.updated_at, t.completed_at, \
        t.instruction, t.callback_url, t.params, t.metadata, t.unique_id, t.tags, t.response, t.project_id, \
        t.batch_id
        """
    static let from =
        "FROM task t JOIN project p ON p.id = t.project_id LEFT JOIN batch b ON b.id = t.batch_id"
    static let select = "SELECT \(columns) \(from)"
    static let paging = CursorPaging(from: from, columns: columns, seq: "t.seq")

    static func require(_ db: Database, tenant: Int64, _ taskID: String, operation: String) throws -> TaskRow
    {
        guard let row = try db.row("\(select) WHERE t.tenant_id = ? AND t.task_id = ?", [tenant, taskID])
        else {
            throw SandboxError.notFound("\(operation): no task with task_id \"\(taskID)\"")
        }
        return TaskRow(row: row)
    }

    static func encode(_ task: TaskRow) -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        task.write(into: &w)
        return w.bytes
    }

    /// Reloads a task after a change and encodes it.
    static func reencode(_ db: Database, tenant: Int64, _ taskID: String, operation: String) throws -> [UInt8]
    {
        encode(try require(db, tenant: tenant, taskID, operation: operation))
    }

    static func touch(_ db: Database, seq: Int64, now: Timestamp) throws {
        try db.run("UPDATE task SET updated_at = ? WHERE seq = ?", [now.milliseconds, seq])
    }
}
