import GRDB
import RefonteAPI

/// `batches.*`.
enum BatchHandlers {
    static let all: KeyValuePairs<String, OperationHandler> = [
        "batches.create": create,
        "batches.get": get,
        "batches.status": status,
        "batches.list": list,
        "batches.finalize": finalize,
        "batches.set_metadata": setMetadata,
    ]

    static func create(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let operation = request.operationID
        let projectName = try request.arguments.requiredString("project")
        let name = try request.arguments.requiredString("name")
        let callback = try request.arguments.string("callback")
        let calibration = try request.arguments.bool("calibration_batch") ?? false
        let selfLabel = try request.arguments.bool("self_label_batch") ?? false
        let metadata = try request.arguments.object("metadata") ?? [:]
        let (tenant, now) = (request.tenant.id, request.now)
        return try await store.write(tenant: tenant, touching: .work) { db in
            let project = try Projects.require(db, tenant: tenant, projectName, operation: operation)
            if try Batches.named(db, tenant: tenant, name) != nil {
                throw SandboxError.conflict("\(operation): a batch named \"\(name)\" already exists")
            }
            try db.run(
                """
                INSERT INTO batch (public_id, tenant_id, project_id, name, status, created_at, callback, calibration,
                    self_label, metadata, priority) VALUES (?, ?, ?, ?, 'staging', ?, ?, ?, ?, ?, ?)
                """,
                [
                    RandomID.make(), tenant, project.id, name, now.milliseconds, callback, calibration,
                    selfLabel,
                    JSONValue.object(metadata).canonicalText,
                    project.studio ? try Batches.nextPriority(db, tenant: tenant) : nil,
                ]
            )
            return Batches.encode(try Batches.require(db, tenant: tenant, name, operation: operation))
        }
    }

    static func get(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let name = try request.arguments.requiredString("batch")
        let (tenant, operation) = (request.tenant.id, request.operationID)
        return try await store.read { db in
            Batches.encode(try Batches.require(db, tenant: tenant, name, operation: operation))
        }
    }

    static func status(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let name = try request.arguments.requiredString("batch")
        let (tenant, operation) = (request.tenant.id, request.operationID)
        return try await store.read { db in
            let batch = try Batches.require(db, tenant: tenant, name, operation: operation)
            var counts: [String: Int] = [:]
            for row in try db.rows(
                "SELECT status, COUNT(*) FROM task WHERE batch_id = ? GROUP BY status",
                [batch.id]
            ) {
                counts[row[0]] = row[1]
            }
            var w = JSONWriter(capacity: 128)
            w.beginObject()
            w.field("status", batch.status)
            for status in TaskStatus.allCases {
                w.field(status.rawValue, counts[status.rawValue] ?? 0)
            }
            w.endObject()
            return w.bytes
        }
    }

    static func list(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let operation = request.operationID
        let projectName = try request.arguments.string("project")
        let status = try request.arguments.choice("status", as: BatchStatus.self)
        let start = try request.arguments.timestamp("start_time")
        let end = try request.arguments.timestamp("end_time")
        let excludeArchived = try request.arguments.bool("exclude_archived") ?? false
        let limit = try request.arguments.requiredInteger("limit")
        let offset = try request.arguments.requiredInteger("offset")
        let tenant = request.tenant.id
        return try await store.read { db in
            var filter = SQLFilter("b.tenant_id = ?", [tenant])
            if let projectName {
                let project = try Projects.require(db, tenant: tenant, projectName, operation: operation)
                filter.and("b.project_id = ?", [project.id])
            }
            filter.and("b.status", equals: status?.rawValue)
            if let start { filter.and("b.created_at >= ?", [start.milliseconds]) }
            if let end { filter.and("b.created_at < ?", [end.milliseconds]) }
            if excludeArchived { filter.and("p.archived = 0") }
            let total =
                try Int64.fetchOne(
                    db,
                    sql:
                        "SELECT COUNT(*) FROM batch b JOIN project p ON p.id = b.project_id WHERE \(filter.clause)",
                    arguments: filter.arguments
                ) ?? 0
            let rows = try Row.fetchAll(
                db,
                sql:
                    "\(Batches.select) WHERE \(filter.clause) ORDER BY b.created_at DESC, b.id DESC LIMIT ? OFFSET ?",
                arguments: filter.arguments + [limit, offset]
            ).map(BatchRow.init(row:))
            return Page(
                total: total,
                limit: limit,
                offset: offset,
                hasMore: offset + Int64(rows.count) < total,
                nextToken: nil,
                withTotalDocs: true
            ).encode { w in
                for batch in rows { batch.write(into: &w) }
            }
        }
    }

    static func finalize(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let name = try request.arguments.requiredString("batch")
        let (tenant, operation) = (request.tenant.id, request.operationID)
        return try await store.write(tenant: tenant, touching: .work) { db in
            let batch = try Batches.require(db, tenant: tenant, name, operation: operation)
            // Finalizing twice is harmless: the batch is already under way.
            if batch.status == "staging" {
                try db.run("UPDATE batch SET status = 'in_progress' WHERE id = ?", [batch.id])
                try Batches.refreshCompletion(db, tenant: tenant)
            }
            return Batches.encode(try Batches.require(db, tenant: tenant, name, operation: operation))
        }
    }

    static func setMetadata(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let name = try request.arguments.requiredString("batch")
        let metadata = JSONValue.object(try request.arguments.requiredObject("metadata"))
        let (tenant, operation) = (request.tenant.id, request.operationID)
        return try await store.write(tenant: tenant, touching: .work) { db in
            let batch = try Batches.require(db, tenant: tenant, name, operation: operation)
            try db.run("UPDATE batch SET metadata = ? WHERE id = ?", [metadata.canonicalText, batch.id])
            return Batches.encode(try Batches.require(db, tenant: tenant, name, operation: operation))
        }
    }
}
