import GRDB

/// `quality.*`: labelers' training attempts.
enum QualityHandlers {
    static let all: [String: OperationHandler] = ["quality.attempts.list": listAttempts]

    static func listAttempts(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let operation = request.operationID
        let taskIDs = try request.strings("quality_task_ids") ?? []
        let emails = try request.strings("labeler_emails") ?? []
        guard !taskIDs.isEmpty || !emails.isEmpty else {
            throw SandboxError.badRequest("\(operation): set quality_task_ids or labeler_emails (or both)")
        }
        let limit = try request.limit()
        let after = try request.string("next_token").map { token throws(SandboxError) in
            try Cursor.seq(from: token, operation: operation)
        }
        let tenant = request.tenant.id
        return try await store.read { db in
            var filter = "a.tenant_id = ?"
            var arguments: StatementArguments = [tenant]
            if !taskIDs.isEmpty {
                filter +=
                    " AND t.task_id IN (\(Array(repeating: "?", count: taskIDs.count).joined(separator: ",")))"
                arguments += StatementArguments(taskIDs)
            }
            if !emails.isEmpty {
                filter +=
                    " AND a.labeler_email IN (\(Array(repeating: "?", count: emails.count).joined(separator: ",")))"
                arguments += StatementArguments(emails)
            }
            let total =
                try Int64.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM attempt a JOIN task t ON t.seq = a.task_seq WHERE \(filter)",
                    arguments: arguments
                ) ?? 0
            if let after {
                filter += " AND a.seq < ?"
                arguments += [after]
            }
            let rows = try Row.fetchAll(
                db,
                sql: "\(Attempts.select) WHERE \(filter) ORDER BY a.seq DESC LIMIT ?",
                arguments: arguments + [limit + 1]
            )
            let page = Array(rows.prefix(Int(limit)))
            let hasMore = rows.count > Int(limit)
            return Page(
                total: total,
                limit: limit,
                offset: 0,
                hasMore: hasMore,
                nextToken: hasMore ? Cursor.token(after: page.last![0]) : nil
            ).encode { w in
                for row in page { Attempts.write(row, into: &w) }
            }
        }
    }
}
