import GRDB
import RefonteAPI

/// `projects.*` (the pipeline config lives with the Studio handlers).
enum ProjectHandlers {
    static let all: KeyValuePairs<String, OperationHandler> = [
        "projects.create": create,
        "projects.list": list,
        "projects.get": get,
        "projects.set_params": setParams,
    ]

    static func create(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let operation = request.operationID
        let name = try request.arguments.requiredString("name")
        let type = try request.arguments.requiredChoice("type", as: TaskType.self).rawValue
        let params = try request.arguments.object("params") ?? [:]
        let studio = try request.arguments.bool("studio") ?? false
        let rapid = try request.arguments.bool("rapid") ?? false
        let datasetID = try request.arguments.string("datasetId")
        let pipeline = try request.arguments.choice("pipeline", as: Pipeline.self)
        let attempts = try request.arguments.integer("consensus_attempts")
        if studio, !request.tenant.studio {
            throw SandboxError(
                402,
                "\(operation): Studio projects need a Studio account; this account has no Studio"
            )
        }
        let (tenant, now) = (request.tenant.id, request.now)
        return try await store.write(tenant: tenant, touching: .work) { db in
            if try Projects.named(db, tenant: tenant, name) != nil {
                throw SandboxError.conflict("\(operation): a project named \"\(name)\" already exists")
            }
            try db.run(
                """
                INSERT INTO project (tenant_id, name, type, created_at, studio, rapid, pipeline, consensus_attempts,
                    dataset_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    tenant, name, type, now.milliseconds, studio, rapid,
                    studio ? (pipeline ?? .standardTask).rawValue : nil,
                    pipeline == .consensusTask ? (attempts ?? Projects.defaultConsensusAttempts) : nil,
                    datasetID,
                ]
            )
            try Projects.recordParams(
                db,
                project: db.lastInsertedRowID,
                params: params,
                patch: false,
                now: now
            )
            return try Projects.encode(
                db,
                try Projects.require(db, tenant: tenant, name, operation: operation)
            )
        }
    }

    static func list(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let archived = try request.arguments.bool("archived")
        let tenant = request.tenant.id
        return try await store.read { db in
            let projects = try db.rows(
                "SELECT \(Projects.columns) FROM project WHERE tenant_id = ? AND (? IS NULL OR archived = ?) ORDER BY id",
                [tenant, archived, archived]
            ).map(ProjectRow.init(row:))
            return try Projects.encodeList(db, projects)
        }
    }

    static func get(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let name = try request.arguments.requiredString("project")
        let (tenant, operation) = (request.tenant.id, request.operationID)
        return try await store.read { db in
            try Projects.encode(db, try Projects.require(db, tenant: tenant, name, operation: operation))
        }
    }

    static func setParams(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let name = try request.arguments.requiredString("project")
        let patch = try request.arguments.bool("patch") ?? false
        var params = request.arguments.extraBodyFields
        for (key, value) in request.arguments.values
        where key != "project" && key != "patch" && value != .null {
            params[key] = value
        }
        let newParams = params
        let (tenant, operation, now) = (request.tenant.id, request.operationID, request.now)
        return try await store.write(tenant: tenant, touching: .work) { db in
            let project = try Projects.require(db, tenant: tenant, name, operation: operation)
            try Projects.recordParams(db, project: project.id, params: newParams, patch: patch, now: now)
            return try Projects.encode(db, project)
        }
    }
}
