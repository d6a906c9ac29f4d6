import GRDB
import RefonteAPI

/// The filters of `tasks.list`, turned into a WHERE clause over `task t`.
struct TaskQuery {
    var project: String?
    var batch: String?
    var status: TaskStatus?
    var type: TaskType?
    var uniqueIDs: [String]
    var tags: [String]
    var reviewStatus: String?
    /// Column, operator and bound for each date filter.
    var dates: [(column: String, op: String, value: Timestamp)] = []

    init(_ request: OperationRequest) throws {
        project = try request.arguments.string("project")
        batch = try request.arguments.string("batch")
        status = try request.arguments.choice("status", as: TaskStatus.self)
        type = try request.arguments.choice("type", as: TaskType.self)
        uniqueIDs = try request.arguments.strings("unique_id") ?? []
        tags = try request.arguments.strings("tags") ?? []
        reviewStatus = try request.arguments.string("customer_review_status")
        let bounds: [(String, String, String)] = [
            ("start_time", "t.created_at", ">="), ("end_time", "t.created_at", "<"),
            ("updated_after", "t.updated_at", ">="), ("updated_before", "t.updated_at", "<"),
            ("completed_after", "t.completed_at", ">="), ("completed_before", "t.completed_at", "<"),
        ]
        for (name, column, op) in bounds {
            if let value = try request.arguments.timestamp(name) { dates.append((column, op, value)) }
        }
    }

    func filter(_ db: Database, tenant: Int64, operation: String) throws -> SQLFilter {
        var filter = SQLFilter("t.tenant_id = ?", [tenant])
        if let project {
            filter.and(
                "t.project_id = ?",
                [try Projects.require(db, tenant: tenant, project, operation: operation).id]
            )
        }
        if let batch {
            filter.and(
                "t.batch_id = ?",
                [try Batches.require(db, tenant: tenant, batch, operation: operation).id]
            )
        }
        filter.and("t.status", equals: status?.rawValue)
        filter.and("t.type", equals: type?.rawValue)
        filter.and("t.unique_id", in: uniqueIDs)
        if !tags.isEmpty {
            // A task matches when it carries any of the tags.
            filter.and(
                "EXISTS (SELECT 1 FROM json_each(t.tags) WHERE value IN (\(SQLFilter.placeholders(tags.count))))",
                StatementArguments(tags)
            )
        }
        filter.and("t.review_status", equals: reviewStatus)
        for date in dates {
            filter.and("\(date.column) \(date.op) ?", [date.value.milliseconds])
        }
        return filter
    }
}
