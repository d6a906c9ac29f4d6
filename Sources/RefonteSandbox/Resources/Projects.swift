import GRDB
import RefonteAPI

struct ProjectRow: Sendable {
    var id: Int64
    var name: String
    var type: String
    var createdAt: Int64
    var studio: Bool
    var rapid: Bool
    var pipeline: String?
    var consensusAttempts: Int64?
    var archived: Bool
    /// The current parameters, canonical JSON object text.
    var params: String

    init(row: Row) {
        id = row[0]
        name = row[1]
        type = row[2]
        createdAt = row[3]
        studio = row[4]
        rapid = row[5]
        pipeline = row[6]
        consensusAttempts = row[7]
        archived = row[8]
        params = row[9]
    }

    /// `history` holds the stored `param_history` entries, oldest first.
    func write(into w: inout JSONWriter, history: [String]) {
        w.beginObject()
        w.field("name", name)
        w.field("type", type)
        w.field("created_at", Timestamp(milliseconds: createdAt).iso8601)
        w.field("studio", studio)
        w.field("rapid", rapid)
        w.field("pipeline", pipeline)
        w.key("consensus_attempts")
        if let consensusAttempts { w.integer(consensusAttempts) } else { w.null() }
        w.field("archived", archived)
        w.key("param_history")
        w.beginArray()
        for entry in history { w.raw(entry) }
        w.endArray()
        w.endObject()
    }
}

enum Projects {
    /// Attempts per task when a project moves to the consensus pipeline without saying how many.
    static let defaultConsensusAttempts: Int64 = 2

    static let columns =
        "id, name, type, created_at, studio, rapid, pipeline, consensus_attempts, archived, params"

    static func named(_ db: Database, tenant: Int64, _ name: String) throws -> ProjectRow? {
        try db.row("SELECT \(columns) FROM project WHERE tenant_id = ? AND name = ?", [tenant, name]).map(
            ProjectRow.init(row:)
        )
    }

    static func require(_ db: Database, tenant: Int64, _ name: String, operation: String) throws -> ProjectRow
    {
        guard let project = try named(db, tenant: tenant, name) else {
            throw SandboxError.notFound("\(operation): no project named \"\(name)\"")
        }
        return project
    }

    /// A Studio project, or 404 / 400 naming the project.
    static func requireStudio(
        _ db: Database,
        tenant: Int64,
        _ name: String,
        operation: String
    ) throws -> ProjectRow {
        let project = try require(db, tenant: tenant, name, operation: operation)
        guard project.studio else {
            throw SandboxError.badRequest("\(operation): project \"\(name)\" is not a Studio project")
        }
        return project
    }

    static func history(_ db: Database, project: Int64) throws -> [String] {
        try db.strings("SELECT params FROM param_version WHERE project_id = ? ORDER BY version", [project])
    }

    static func encode(_ db: Database, _ project: ProjectRow) throws -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        project.write(into: &w, history: try history(db, project: project.id))
        return w.bytes
    }

    static func encodeList(_ db: Database, _ projects: [ProjectRow]) throws -> [UInt8] {
        var w = JSONWriter(capacity: 512 * projects.count + 2)
        w.beginArray()
        for project in projects {
            project.write(into: &w, history: try history(db, project: project.id))
        }
        w.endArray()
        return w.bytes
    }

    /// Adds a `param_history` entry `{version, created_at, …params}` and makes it current. With
    /// `patch`, the new fields are merged into the current ones (RFC 7396, in SQLite).
    static func recordParams(
        _ db: Database,
        project: Int64,
        params: [String: JSONValue],
        patch: Bool,
        now: Timestamp
    ) throws {
        let version =
            (try db.int("SELECT MAX(version) FROM param_version WHERE project_id = ?", [project]) ?? 0) + 1
        try db.run(
            "UPDATE project SET params = CASE WHEN ? THEN json_patch(params, ?) ELSE json(?) END WHERE id = ?",
            [patch, JSONValue.object(params).canonicalText, JSONValue.object(params).canonicalText, project]
        )
        try db.run(
            """
            INSERT INTO param_version (project_id, version, created_at, params)
            SELECT id, ?, ?, json_set(params, '$.version', ?, '$.created_at', ?) FROM project WHERE id = ?
            """,
            [version, now.milliseconds, version, now.iso8601, project]
        )
    }
}
