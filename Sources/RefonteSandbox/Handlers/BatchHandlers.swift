import GRDB
import RefonteAPI

/// `batches.*`.
enum BatchHandlers {
    static let all: [String: OperationHandler] = [
        "batches.create": create,
        "batches.get": get,
        "batches.status": status,
        "batches.list": list,
        "batches.finalize": finalize,
        "batches.set_metadata": setMetadata,
    ]

    static let statuses = ["staging", "in_progress", "completed"]

    static func create(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let operation = request.operationID
        let projectName = try request.requiredString("project")
        let name = try request.requiredString("name")
        let callback = try request.string("callback")
        let calibration = try request.bool("calibration_batch") ?? false
        let selfLabel = try request.bool("self_label_batch") ?? false
        let metadata = try request.object("metadata") ?? [:]
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
        let name = try request.requiredString("batch")
        let (tenant, operation) = (request.tenant.id, request.operationID)
        return try await store.read { db in
            Batches.encode(try Batches.require(db, tenant: tenant, name, operation: operation))
        }
    }

    static func status(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let name = try request.requiredString("batch")
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
            for key in ["pending", "completed", "error", "canceled"] {
                w.field(key, counts[key] ?? 0)
            }
            w.endObject()
            return w.bytes
        }
    }

    static func list(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let operation = request.operationID
        let projectName = try request.string("project")
        let status = try request.string("status")
        if let status, !statuses.contains(status) {
            throw SandboxError.badRequest(
                "\(operation): status must be one of \(statuses.joined(separator: ", ")), got \"\(status)\""
            )
        }
        let start = try request.date("start_time")
        let end = try request.date("end_time")
        let excludeArchived = try request.bool("exclude_archived") ?? false
        let limit = try request.limit()
        let offset = try request.integer("offset") ?? 0
        guard offset >= 0 else {
            throw SandboxError.badRequest("\(operation): offset must be 0 or more, got \(offset)")
        }
        let tenant = request.tenant.id
        return try await store.read { db in
            var filter = "b.tenant_id = ?"
            var arguments: StatementArguments = [tenant]
            if let projectName {
                let project = try Projects.require(db, tenant: tenant, projectName, operation: operation)
                filter += " AND b.project_id = ?"
                arguments += [project.id]
            }
            if let status {
                filter += " AND b.status = ?"
                arguments += [status]
            }
            if let start {
                filter += " AND b.created_at >= ?"
                arguments += [start.milliseconds]
            }
            if let end {
                filter += " AND b.created_at < ?"
                arguments += [end.milliseconds]
            }
            if excludeArchived { filter += " AND p.archived = 0" }
            let total =
                try Int64.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM batch b JOIN project p ON p.id = b.project_id WHERE \(filter)",
                    arguments: arguments
                ) ?? 0
            let rows = try Row.fetchAll(
                db,
                sql:
                    "\(Batches.select) WHERE \(filter) ORDER BY b.created_at DESC, b.id DESC LIMIT ? OFFSET ?",
                arguments: arguments + [limit, offset]
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
        let name = try request.requiredString("batch")
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
        let name = try request.requiredString("batch")
        let metadata = try MetadataBody.object(request)
        let (tenant, operation) = (request.tenant.id, request.operationID)
        return try await store.write(tenant: tenant, touching: .work) { db in
            let batch = try Batches.require(db, tenant: tenant, name, operation: operation)
            try db.run("UPDATE batch SET metadata = ? WHERE id = ?", [metadata.canonicalText, batch.id])
            return Batches.encode(try Batches.require(db, tenant: tenant, name, operation: operation))
        }
    }
}

/// A set-metadata body: the metadata object itself, under the `metadata` parameter.
enum MetadataBody {
    static func object(_ request: OperationRequest) throws(SandboxError) -> JSONValue {
        if let fields = try request.object("metadata") { return .object(fields) }
        // A catalog that passes the body's fields one by one (free-form) lands here.
        if !request.extraBodyFields.isEmpty { return .object(request.extraBodyFields) }
        return .object([:])
    }
}
