import GRDB

/// The filters of `tasks.list`, turned into a WHERE clause over `task t`.
struct TaskQuery {
    var project: String?
    var batch: String?
    var status: String?
    var type: String?
    var uniqueIDs: [String]
    var tags: [String]
    var reviewStatus: String?
    /// Column, operator and bound for each date filter.
    var dates: [(column: String, op: String, value: Timestamp)] = []

    init(_ request: OperationRequest) throws(SandboxError) {
        let operation = request.operationID
        project = try request.string("project")
        batch = try request.string("batch")
        status = try request.string("status")
        if let status, !TaskHandlers.statuses.contains(status) {
            throw .badRequest(
                "\(operation): status must be one of \(TaskHandlers.statuses.joined(separator: ", ")), got \"\(status)\""
            )
        }
        type = try request.string("type")
        if let type { try TaskTypes.check(type, field: "type", operation: operation) }
        uniqueIDs = try request.strings("unique_id") ?? []
        tags = try request.strings("tags") ?? []
        reviewStatus = try request.string("customer_review_status")
        let bounds: [(String, String, String)] = [
            ("start_time", "t.created_at", ">="), ("end_time", "t.created_at", "<"),
            ("updated_after", "t.updated_at", ">="), ("updated_before", "t.updated_at", "<"),
            ("completed_after", "t.completed_at", ">="), ("completed_before", "t.completed_at", "<"),
        ]
        for (name, column, op) in bounds {
            if let value = try request.date(name) { dates.append((column, op, value)) }
        }
    }

    func sql(_ db: Database, tenant: Int64, operation: String) throws -> (String, StatementArguments) {
        var filter = "t.tenant_id = ?"
        var arguments: StatementArguments = [tenant]
        if let project {
            let row = try Projects.require(db, tenant: tenant, project, operation: operation)
            filter += " AND t.project_id = ?"
            arguments += [row.id]
        }
        if let batch {
            let row = try Batches.require(db, tenant: tenant, batch, operation: operation)
            filter += " AND t.batch_id = ?"
            arguments += [row.id]
        }
        if let status {
            filter += " AND t.status = ?"
            arguments += [status]
        }
        if let type {
            filter += " AND t.type = ?"
            arguments += [type]
        }
        if !uniqueIDs.isEmpty {
            filter +=
                " AND t.unique_id IN (\(Array(repeating: "?", count: uniqueIDs.count).joined(separator: ",")))"
            arguments += StatementArguments(uniqueIDs)
        }
        if !tags.isEmpty {
            // A task matches when it carries any of the tags.
            filter +=
                " AND EXISTS (SELECT 1 FROM json_each(t.tags) WHERE value IN (\(Array(repeating: "?", count: tags.count).joined(separator: ","))))"
            arguments += StatementArguments(tags)
        }
        if let reviewStatus {
            filter += " AND t.review_status = ?"
            arguments += [reviewStatus]
        }
        for date in dates {
            filter += " AND \(date.column) \(date.op) ?"
            arguments += [date.value.milliseconds]
        }
        return (filter, arguments)
    }
}
