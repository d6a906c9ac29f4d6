import GRDB

struct GroupRow: Sendable {
    var id: Int64
    var publicID: String
    var name: String
    var isSingleton: Bool

    init(row: Row) {
        id = row[0]
        publicID = row[1]
        name = row[2]
        isSingleton = row[3]
    }
}

enum Groups {
    static let select = "SELECT id, public_id, name, is_singleton FROM labeler_group"

    static func inProject(_ db: Database, project: Int64) throws -> [GroupRow] {
        try db.rows("\(select) WHERE project_id = ? ORDER BY id", [project]).map(GroupRow.init(row:))
    }

    static func named(_ db: Database, project: Int64, _ name: String) throws -> GroupRow? {
        try db.row("\(select) WHERE project_id = ? AND name = ?", [project, name]).map(GroupRow.init(row:))
    }

    static func write(_ db: Database, _ group: GroupRow, into w: inout JSONWriter) throws {
        let workers = try db.rows(
            """
            SELECT tm.public_id, tm.email FROM group_member gm JOIN teammate tm ON tm.id = gm.teammate_id
            WHERE gm.group_id = ? ORDER BY tm.email
            """,
            [group.id]
        )
        w.beginObject()
        w.field("id", group.publicID)
        w.field("name", group.name)
        w.field("numWorkers", workers.count)
        w.field("isSingleton", group.isSingleton)
        w.key("workers")
        w.beginArray()
        for worker in workers {
            w.beginObject()
            w.field("id", worker[0] as String)
            w.field("email", worker[1] as String)
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }

    static func encode(_ db: Database, _ group: GroupRow) throws -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        try write(db, group, into: &w)
        return w.bytes
    }

    /// Emails among `emails` that are not assigned to the project (or are disabled). Invited
    /// teammates can be assigned ahead of accepting, so they can be grouped too.
    static func unassigned(
        _ db: Database,
        tenant: Int64,
        project: Int64,
        _ emails: [String]
    ) throws -> [String] {
        try emails.filter { email in
            try db.int(
                """
                SELECT 1 FROM teammate tm JOIN assignment a ON a.teammate_id = tm.id
                WHERE tm.tenant_id = ? AND tm.email = ? COLLATE NOCASE AND a.project_id = ?
                  AND tm.role IN ('admin', 'manager', 'member', 'labeler', 'invited')
                """,
                [tenant, email, project]
            ) == nil
        }
    }

    static func addMembers(_ db: Database, tenant: Int64, group: Int64, _ emails: [String]) throws {
        for email in emails {
            try db.run(
                """
                INSERT OR IGNORE INTO group_member (group_id, teammate_id)
                SELECT ?, id FROM teammate WHERE tenant_id = ? AND email = ? COLLATE NOCASE
                """,
                [group, tenant, email]
            )
        }
    }
}
