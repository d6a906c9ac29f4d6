import Foundation
import GRDB
import RefonteAPI

/// `tasks.*`.
enum TaskHandlers {
    static let all: KeyValuePairs<String, OperationHandler> = [
        "tasks.create": create,
        "tasks.get": get,
        "tasks.list": list,
        "tasks.cancel": cancel,
        "tasks.audit": audit,
        "tasks.set_metadata": setMetadata,
        "tasks.set_tags": { try await changeTags($0, $1) { _, given in given } },
        "tasks.add_tags": { try await changeTags($0, $1) { current, given in current + given } },
        "tasks.remove_tags": {
            try await changeTags($0, $1) { current, given in current.filter { !given.contains($0) } }
        },
        "tasks.set_unique_id": setUniqueID,
        "tasks.clear_unique_id": clearUniqueID,
    ]

    /// Body fields with a column of their own; every other field is a parameter of the task type.
    private static let columns: Set<String> = [
        "type", "project", "batch", "instruction", "callback_url", "unique_id", "metadata", "tags",
    ]

    static func create(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let operation = request.operationID
        let type = try request.arguments.requiredChoice("type", as: TaskType.self).rawValue
        let projectName = try request.arguments.requiredString("project")
        let batchName = try request.arguments.string("batch")
        let instruction = try request.arguments.string("instruction")
        let callbackURL = try request.arguments.string("callback_url")
        let uniqueID = try request.arguments.string("unique_id")
        let metadata = try request.arguments.object("metadata") ?? [:]
        let tags = uniqued(try request.arguments.strings("tags") ?? [])
        var params = request.arguments.extraBodyFields
        for (key, value) in request.arguments.values where !columns.contains(key) && value != .null {
            params[key] = value
        }
        let taskParams = params
        let (tenant, now) = (request.tenant.id, request.now)
        let taskID = RandomID.make()
        return try await store.write(tenant: tenant, touching: .work) { db in
            let project = try Projects.require(db, tenant: tenant, projectName, operation: operation)
            var batchID: Int64?
            if let batchName {
                let batch = try Batches.require(db, tenant: tenant, batchName, operation: operation)
                guard batch.projectID == project.id else {
                    throw SandboxError.badRequest(
                        "\(operation): batch \"\(batchName)\" belongs to project \"\(batch.projectName)\", not \"\(projectName)\""
                    )
                }
                guard batch.status != "completed" else {
                    throw SandboxError.badRequest("\(operation): batch \"\(batchName)\" is completed")
                }
                batchID = batch.id
            }
            if let uniqueID,
                try db.int("SELECT 1 FROM task WHERE tenant_id = ? AND unique_id = ?", [tenant, uniqueID])
                    != nil
            {
                throw SandboxError.conflict(
                    "\(operation): a task with unique_id \"\(uniqueID)\" already exists"
                )
            }
            try db.run(
                """
                INSERT INTO task (task_id, tenant_id, type, status, project_id, batch_id, created_at, updated_at,
                    instruction, callback_url, params, metadata, unique_id, tags)
                VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    taskID, tenant, type, project.id, batchID, now.milliseconds, now.milliseconds,
                    instruction,
                    callbackURL, JSONValue.object(taskParams).canonicalText,
                    JSONValue.object(metadata).canonicalText,
                    uniqueID, tagsText(tags),
                ]
            )
            return try Tasks.reencode(db, tenant: tenant, taskID, operation: operation)
        }
    }

    static func get(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let taskID = try request.arguments.requiredString("task_id")
        let (tenant, operation) = (request.tenant.id, request.operationID)
        return try await store.read { db in
            try Tasks.reencode(db, tenant: tenant, taskID, operation: operation)
        }
    }

    static func list(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let operation = request.operationID
        let query = try TaskQuery(request)
        let limit = try request.arguments.requiredInteger("limit")
        let after = try request.arguments.string("next_token").map { token throws(SandboxError) in
            try Cursor.seq(from: token, operation: operation)
        }
        let withResponses = !(try request.arguments.bool("limited_response") ?? false)
        let tenant = request.tenant.id
        return try await store.read { db in
            let filter = try query.filter(db, tenant: tenant, operation: operation)
            let (rows, page) = try Tasks.paging.page(db, filter: filter, limit: limit, after: after) { $0[0] }
            return page.encode(capacity: 600 * rows.count + 128) { w in
                for row in rows { TaskRow(row: row).write(into: &w, includeResponse: withResponses) }
            }
        }
    }

    static func cancel(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let taskID = try request.arguments.requiredString("task_id")
        let clearUniqueID = try request.arguments.bool("clear_unique_id") ?? false
        let (tenant, operation, now) = (request.tenant.id, request.operationID, request.now)
        return try await store.write(tenant: tenant, touching: .work) { db in
            let task = try Tasks.require(db, tenant: tenant, taskID, operation: operation)
            switch task.status {
            case "pending":
                try db.run(
                    "UPDATE task SET status = 'canceled', updated_at = ? WHERE seq = ?",
                    [now.milliseconds, task.seq]
                )
            case "canceled":
                break  // Cancelling again changes nothing and is not an error.
            default:
                throw SandboxError.badRequest(
                    "\(operation): only pending tasks can be canceled; task \"\(taskID)\" is \(task.status)"
                )
            }
            if clearUniqueID {
                try db.run("UPDATE task SET unique_id = NULL WHERE seq = ?", [task.seq])
            }
            try Batches.refreshCompletion(db, tenant: tenant)
            return try Tasks.reencode(db, tenant: tenant, taskID, operation: operation)
        }
    }

    static func audit(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let taskID = try request.arguments.requiredString("task_id")
        let accepted = try request.arguments.requiredBool("accepted")
        let comments = try request.arguments.string("comments")
        let (tenant, operation, now) = (request.tenant.id, request.operationID, request.now)
        return try await store.write(tenant: tenant, touching: .work) { db in
            let task = try Tasks.require(db, tenant: tenant, taskID, operation: operation)
            guard task.status == "completed" else {
                throw SandboxError.badRequest(
                    "\(operation): only completed tasks can be audited; task \"\(taskID)\" is \(task.status)"
                )
            }
            try db.run(
                "UPDATE task SET review_status = ?, review_comments = ?, updated_at = ? WHERE seq = ?",
                [accepted ? "accepted" : "rejected", comments, now.milliseconds, task.seq]
            )
            return try Tasks.reencode(db, tenant: tenant, taskID, operation: operation)
        }
    }

    static func setMetadata(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let taskID = try request.arguments.requiredString("task_id")
        let metadata = JSONValue.object(try request.arguments.requiredObject("metadata"))
        let (tenant, operation, now) = (request.tenant.id, request.operationID, request.now)
        return try await store.write(tenant: tenant, touching: .work) { db in
            let task = try Tasks.require(db, tenant: tenant, taskID, operation: operation)
            try db.run(
                "UPDATE task SET metadata = ?, updated_at = ? WHERE seq = ?",
                [metadata.canonicalText, now.milliseconds, task.seq]
            )
            return try Tasks.reencode(db, tenant: tenant, taskID, operation: operation)
        }
    }

    static func changeTags(
        _ request: OperationRequest,
        _ store: SandboxStore,
        _ change: @escaping @Sendable (_ current: [String], _ given: [String]) -> [String]
    ) async throws -> [UInt8] {
        let taskID = try request.arguments.requiredString("task_id")
        let given = try request.arguments.requiredStrings("tags")
        let (tenant, operation, now) = (request.tenant.id, request.operationID, request.now)
        return try await store.write(tenant: tenant, touching: .work) { db in
            let task = try Tasks.require(db, tenant: tenant, taskID, operation: operation)
            let current = (try? JSONDecoder().decode([String].self, from: Data(task.tags.utf8))) ?? []
            let tags = uniqued(change(current, uniqued(given)))
            try db.run(
                "UPDATE task SET tags = ?, updated_at = ? WHERE seq = ?",
                [tagsText(tags), now.milliseconds, task.seq]
            )
            return try Tasks.reencode(db, tenant: tenant, taskID, operation: operation)
        }
    }

    static func setUniqueID(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let taskID = try request.arguments.requiredString("task_id")
        let uniqueID = try request.arguments.requiredString("unique_id")
        let (tenant, operation, now) = (request.tenant.id, request.operationID, request.now)
        return try await store.write(tenant: tenant, touching: .work) { db in
            let task = try Tasks.require(db, tenant: tenant, taskID, operation: operation)
            if let owner = try db.strings(
                "SELECT task_id FROM task WHERE tenant_id = ? AND unique_id = ?",
                [tenant, uniqueID]
            ).first, owner != taskID {
                throw SandboxError.conflict(
                    "\(operation): unique_id \"\(uniqueID)\" is used by task \"\(owner)\""
                )
            }
            try db.run(
                "UPDATE task SET unique_id = ?, updated_at = ? WHERE seq = ?",
                [uniqueID, now.milliseconds, task.seq]
            )
            return try Tasks.reencode(db, tenant: tenant, taskID, operation: operation)
        }
    }

    static func clearUniqueID(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let taskID = try request.arguments.requiredString("task_id")
        let (tenant, operation, now) = (request.tenant.id, request.operationID, request.now)
        return try await store.write(tenant: tenant, touching: .work) { db in
            let task = try Tasks.require(db, tenant: tenant, taskID, operation: operation)
            try db.run(
                "UPDATE task SET unique_id = NULL, updated_at = ? WHERE seq = ?",
                [now.milliseconds, task.seq]
            )
            return try Tasks.reencode(db, tenant: tenant, taskID, operation: operation)
        }
    }

    static func tagsText(_ tags: [String]) -> String {
        JSONValue.array(tags.map(JSONValue.string)).canonicalText
    }
}
