import GRDB
import RefonteAPI

/// `studio.*` and the pipeline config: assignments, labeler groups, batch priorities.
enum StudioHandlers {
    static let all: KeyValuePairs<String, OperationHandler> = [
        "studio.assignments.list": listAssignments,
        "studio.assignments.add": { try await changeAssignments($0, $1, add: true) },
        "studio.assignments.remove": { try await changeAssignments($0, $1, add: false) },
        "studio.groups.list": listGroups,
        "studio.groups.create": createGroup,
        "studio.groups.update": updateGroup,
        "studio.batches.list": listBatches,
        "studio.batches.set_groups": setBatchGroups,
        "studio.batches.set_priorities": setPriorities,
        "studio.batches.reset_priorities": resetPriorities,
        "studio.projects.send_tasks_to_completed": sendTasksToCompleted,
        "projects.update_pipeline_config": updatePipelineConfig,
    ]

    // MARK: - Assignments

    static func listAssignments(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let tenant = request.tenant.id
        return try await store.read { db in try Assignments.encode(db, tenant: tenant) }
    }

    static func changeAssignments(
        _ request: OperationRequest,
        _ store: SandboxStore,
        add: Bool
    ) async throws
        -> [UInt8]
    {
        let emails = uniquedEmails(try request.arguments.requiredStrings("emails"))
        let projectNames = uniqued(try request.arguments.requiredStrings("projects"))
        let (tenant, operation) = (request.tenant.id, request.operationID)
        return try await store.write(tenant: tenant, touching: .team) { db in
            let teammates = try Teammates.byEmail(db, tenant: tenant, emails)
            let unknown = emails.filter { teammates[$0] == nil }
            if !unknown.isEmpty {
                throw SandboxError.notFound("\(operation): no teammate with email \(quotedList(unknown))")
            }
            // Invited teammates may be assigned ahead of accepting, which is how onboarding
            // works; they show up in the assignments list once active. Disabled ones may not.
            let disabled = emails.filter { teammates[$0]!.role == "disabled" }
            if add, !disabled.isEmpty {
                throw SandboxError.badRequest(
                    "\(operation): emails holds disabled teammates: \(quotedList(disabled))"
                )
            }
            var projects: [ProjectRow] = []
            for name in projectNames {
                projects.append(try Projects.requireStudio(db, tenant: tenant, name, operation: operation))
            }
            for email in emails {
                let teammate = teammates[email]!.id
                for project in projects {
                    if add {
                        try db.run(
                            "INSERT OR IGNORE INTO assignment (teammate_id, project_id) VALUES (?, ?)",
                            [teammate, project.id]
                        )
                    } else {
                        try db.run(
                            "DELETE FROM assignment WHERE teammate_id = ? AND project_id = ?",
                            [teammate, project.id]
                        )
                        // Groups hold only assigned teammates.
                        try db.run(
                            """
                            DELETE FROM group_member WHERE teammate_id = ?
                              AND group_id IN (SELECT id FROM labeler_group WHERE project_id = ?)
                            """,
                            [teammate, project.id]
                        )
                    }
                }
            }
            return try Assignments.encode(db, tenant: tenant)
        }
    }

    // MARK: - Groups

    static func listGroups(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let projectName = try request.arguments.requiredString("project")
        let (tenant, operation) = (request.tenant.id, request.operationID)
        return try await store.read { db in
            let project = try Projects.requireStudio(db, tenant: tenant, projectName, operation: operation)
            var w = JSONWriter(capacity: 1024)
            w.beginArray()
            for group in try Groups.inProject(db, project: project.id) {
                try Groups.write(db, group, into: &w)
            }
            w.endArray()
            return w.bytes
        }
    }

    static func createGroup(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let projectName = try request.arguments.requiredString("project")
        let name = try request.arguments.requiredString("name")
        let emails = uniquedEmails(try request.arguments.strings("emails") ?? [])
        let (tenant, operation, now) = (request.tenant.id, request.operationID, request.now)
        return try await store.write(tenant: tenant, touching: .team) { db in
            let project = try Projects.requireStudio(db, tenant: tenant, projectName, operation: operation)
            if try db.int(
                "SELECT 1 FROM labeler_group WHERE tenant_id = ? AND name = ? AND is_singleton = 0",
                [tenant, name]
            ) != nil {
                throw SandboxError.conflict("\(operation): a group named \"\(name)\" already exists")
            }
            let unassigned = try Groups.unassigned(db, tenant: tenant, project: project.id, emails)
            if !unassigned.isEmpty {
                throw SandboxError.badRequest(
                    "\(operation): emails are not assigned to project \"\(projectName)\": \(quotedList(unassigned))"
                )
            }
            try db.run(
                """
                INSERT INTO labeler_group (public_id, tenant_id, project_id, name, is_singleton, created_at)
                VALUES (?, ?, ?, ?, 0, ?)
                """,
                [RandomID.make(), tenant, project.id, name, now.milliseconds]
            )
            let groupID = db.lastInsertedRowID
            try Groups.addMembers(db, tenant: tenant, group: groupID, emails)
            return try Groups.encode(db, try Groups.named(db, project: project.id, name)!)
        }
    }

    static func updateGroup(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let projectName = try request.arguments.requiredString("project")
        let groupName = try request.arguments.requiredString("group")
        let adding = uniquedEmails(try request.arguments.strings("add_emails") ?? [])
        let removing = uniquedEmails(try request.arguments.strings("remove_emails") ?? [])
        let (tenant, operation) = (request.tenant.id, request.operationID)
        return try await store.write(tenant: tenant, touching: .team) { db in
            let project = try Projects.requireStudio(db, tenant: tenant, projectName, operation: operation)
            guard let group = try Groups.named(db, project: project.id, groupName) else {
                throw SandboxError.notFound(
                    "\(operation): project \"\(projectName)\" has no group named \"\(groupName)\""
                )
            }
            let unassigned = try Groups.unassigned(db, tenant: tenant, project: project.id, adding)
            if !unassigned.isEmpty {
                throw SandboxError.badRequest(
                    "\(operation): add_emails are not assigned to project \"\(projectName)\": \(quotedList(unassigned))"
                )
            }
            try Groups.addMembers(db, tenant: tenant, group: group.id, adding)
            for email in removing {
                try db.run(
                    """
                    DELETE FROM group_member WHERE group_id = ?
                      AND teammate_id IN (SELECT id FROM teammate WHERE tenant_id = ? AND email = ? COLLATE NOCASE)
                    """,
                    [group.id, tenant, email]
                )
            }
            return try Groups.encode(db, group)
        }
    }

    // MARK: - Batches

    static func listBatches(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let tenant = request.tenant.id
        return try await store.read { db in try Batches.encodeStudioList(db, tenant: tenant) }
    }

    static func setBatchGroups(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let batchName = try request.arguments.requiredString("batch")
        let names = uniqued(try request.arguments.requiredStrings("groups"))
        let (tenant, operation, now) = (request.tenant.id, request.operationID, request.now)
        return try await store.write(tenant: tenant, touching: .all) { db in
            let batch = try Batches.require(db, tenant: tenant, batchName, operation: operation)
            guard batch.projectStudio else {
                throw SandboxError.badRequest(
                    "\(operation): batch \"\(batchName)\" is not in a Studio project"
                )
            }
            guard batch.status != "completed" else {
                throw SandboxError.badRequest(
                    "\(operation): batch \"\(batchName)\" is completed; only pending batches are scheduled"
                )
            }
            var unknown: [String] = []
            for name in names where try Groups.named(db, project: batch.projectID, name) == nil {
                // An email stands for a single-labeler group, made on first use.
                if name.contains("@"),
                    try Groups.unassigned(db, tenant: tenant, project: batch.projectID, [name]).isEmpty
                {
                    try db.run(
                        """
                        INSERT INTO labeler_group (public_id, tenant_id, project_id, name, is_singleton, created_at)
                        VALUES (?, ?, ?, ?, 1, ?)
                        """,
                        [RandomID.make(), tenant, batch.projectID, name, now.milliseconds]
                    )
                    try Groups.addMembers(db, tenant: tenant, group: db.lastInsertedRowID, [name])
                } else {
                    unknown.append(name)
                }
            }
            if !unknown.isEmpty {
                throw SandboxError.badRequest(
                    "\(operation): groups names neither a group of project \"\(batch.projectName)\" nor a "
                        + "teammate assigned to it: \(quotedList(unknown))"
                )
            }
            try db.run("DELETE FROM batch_group WHERE batch_id = ?", [batch.id])
            for (position, name) in names.enumerated() {
                try db.run(
                    "INSERT INTO batch_group (batch_id, position, name) VALUES (?, ?, ?)",
                    [batch.id, position, name]
                )
            }
            return try Batches.encodeStudio(db, tenant: tenant, batch)
        }
    }

    static func setPriorities(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let operation = request.operationID
        // The catalog has checked that each record holds a string `name`.
        let order = try request.arguments.requiredRecords("batches").compactMap { record -> String? in
            if case .string(let name)? = record["name"] { name } else { nil }
        }
        let tenant = request.tenant.id
        return try await store.write(tenant: tenant, touching: .work) { db in
            let pending = try Batches.pendingStudio(db, tenant: tenant)
            let pendingNames = Set(pending.map(\.name))
            var seen = Set<String>()
            let repeated = uniqued(order.filter { !seen.insert($0).inserted })
            let extra = uniqued(order.filter { !pendingNames.contains($0) })
            let missing = pending.map(\.name).filter { !order.contains($0) }
            var problems: [String] = []
            if !missing.isEmpty { problems.append("missing pending batches \(quotedList(missing))") }
            if !extra.isEmpty { problems.append("not pending Studio batches \(quotedList(extra))") }
            if !repeated.isEmpty { problems.append("named more than once \(quotedList(repeated))") }
            if !problems.isEmpty {
                throw SandboxError.badRequest(
                    "\(operation): batches must name every pending batch exactly once: "
                        + problems.joined(separator: "; ")
                )
            }
            let idByName = Dictionary(uniqueKeysWithValues: pending.map { ($0.name, $0.id) })
            try Batches.renumber(db, order.map { idByName[$0]! })
            return try Batches.encodeStudioList(db, tenant: tenant)
        }
    }

    static func resetPriorities(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let tenant = request.tenant.id
        return try await store.write(tenant: tenant, touching: .work) { db in
            // The default order: calibration batches first, then by creation date.
            let ordered = try db.rows(
                """
                SELECT b.id FROM batch b JOIN project p ON p.id = b.project_id
                WHERE b.tenant_id = ? AND p.studio = 1 AND b.status != 'completed'
                ORDER BY b.calibration DESC, b.created_at, b.id
                """,
                [tenant]
            ).map { $0[0] as Int64 }
            try Batches.renumber(db, ordered)
            return try Batches.encodeStudioList(db, tenant: tenant)
        }
    }

    // MARK: - Projects

    static func sendTasksToCompleted(
        _ request: OperationRequest,
        _ store: SandboxStore
    ) async throws -> [UInt8] {
        let projectName = try request.arguments.requiredString("project")
        let allBatches = try request.arguments.bool("all_batches") ?? false
        let listed = try request.arguments.strings("batches")
        let (tenant, operation, now) = (request.tenant.id, request.operationID, request.now)
        return try await store.write(tenant: tenant, touching: .work) { db in
            let project = try Projects.requireStudio(db, tenant: tenant, projectName, operation: operation)
            var batches: [(id: Int64, name: String)] = []
            if allBatches {
                batches = try db.rows(
                    "SELECT id, name FROM batch WHERE project_id = ? ORDER BY id",
                    [project.id]
                ).map {
                    ($0[0], $0[1])
                }
            } else {
                var strangers: [String] = []
                for name in uniqued(listed ?? []) {
                    if let id = try db.int(
                        "SELECT id FROM batch WHERE project_id = ? AND name = ?",
                        [project.id, name]
                    ) {
                        batches.append((id, name))
                    } else {
                        strangers.append(name)
                    }
                }
                if !strangers.isEmpty {
                    throw SandboxError.badRequest(
                        "\(operation): batches are not batches of project \"\(projectName)\": \(quotedList(strangers))"
                    )
                }
            }
            var moved = 0
            for batch in batches {
                try db.run(
                    """
                    UPDATE task SET status = 'completed', completed_at = ?, updated_at = ?
                    WHERE batch_id = ? AND status = 'pending' AND EXISTS (SELECT 1 FROM attempt WHERE task_seq = task.seq)
                    """,
                    [now.milliseconds, now.milliseconds, batch.id]
                )
                moved += db.changesCount
            }
            try Batches.refreshCompletion(db, tenant: tenant)
            var w = JSONWriter(capacity: 256)
            w.beginObject()
            w.field("project", projectName)
            w.field("batches", strings: batches.map(\.name))
            w.field("tasks_completed", moved)
            w.endObject()
            return w.bytes
        }
    }

    static func updatePipelineConfig(
        _ request: OperationRequest,
        _ store: SandboxStore
    ) async throws -> [UInt8] {
        let projectName = try request.arguments.requiredString("project")
        let pipeline = try request.arguments.requiredChoice("pipeline", as: Pipeline.self)
        let attempts = try request.arguments.integer("consensus_attempts")
        let (tenant, operation) = (request.tenant.id, request.operationID)
        return try await store.write(tenant: tenant, touching: .work) { db in
            let project = try Projects.requireStudio(db, tenant: tenant, projectName, operation: operation)
            try db.run(
                "UPDATE project SET pipeline = ?, consensus_attempts = ? WHERE id = ?",
                [
                    pipeline.rawValue,
                    pipeline == .consensusTask
                        ? (attempts ?? project.consensusAttempts ?? Projects.defaultConsensusAttempts) : nil,
                    project.id,
                ]
            )
            return try Projects.encode(
                db,
                try Projects.require(db, tenant: tenant, projectName, operation: operation)
            )
        }
    }
}
