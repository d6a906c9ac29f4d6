import GRDB

/// Which active teammate works on which Studio project.
enum Assignments {
    static func encode(_ db: Database, tenant: Int64) throws -> [UInt8] {
        let members = try db.rows(
            """
            SELECT id, email FROM teammate WHERE tenant_id = ? AND role IN ('admin', 'manager', 'member', 'labeler')
            ORDER BY id
            """,
            [tenant]
        )
        var projects: [Int64: [String]] = [:]
        for row in try db.rows(
            """
            SELECT a.teammate_id, p.name FROM assignment a JOIN project p ON p.id = a.project_id
            WHERE p.tenant_id = ? ORDER BY p.name
            """,
            [tenant]
        ) {
            projects[row[0], default: []].append(row[1])
        }
        var w = JSONWriter(capacity: 64 * members.count + 2)
        w.beginObject()
        for member in members {
            w.field(member[1] as String, strings: projects[member[0] as Int64] ?? [])
        }
        w.endObject()
        return w.bytes
    }

    /// Takes a teammate off every project and group (when it is disabled).
    static func removeAll(_ db: Database, teammate: Int64) throws {
        try db.run("DELETE FROM assignment WHERE teammate_id = ?", [teammate])
        try db.run("DELETE FROM group_member WHERE teammate_id = ?", [teammate])
    }
}
