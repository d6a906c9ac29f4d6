import GRDB
import RefonteAPI

/// `quality.*`: labelers' training attempts.
enum QualityHandlers {
    static let all: KeyValuePairs<String, OperationHandler> = ["quality.attempts.list": listAttempts]

    static func listAttempts(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let operation = request.operationID
        let taskIDs = try request.arguments.strings("quality_task_ids") ?? []
        let emails = try request.arguments.strings("labeler_emails") ?? []
        let limit = try request.arguments.requiredInteger("limit")
        let after = try request.arguments.string("next_token").map { token throws(SandboxError) in
            try Cursor.seq(from: token, operation: operation)
        }
        var filter = SQLFilter("a.tenant_id = ?", [request.tenant.id])
        filter.and("t.task_id", in: taskIDs)
        filter.and("a.labeler_email COLLATE NOCASE", in: emails)
        return try await store.read { [filter] db in
            let (rows, page) = try Attempts.paging.page(db, filter: filter, limit: limit, after: after) {
                $0[0]
            }
            return page.encode { w in
                for row in rows { Attempts.write(row, into: &w) }
            }
        }
    }
}
