import GRDB
import RefonteAPI

/// A teammate as stored: `role` is `invited` until the invitation is accepted, and
/// `invitedRole` keeps the role it was made for.
struct TeammateRow: Sendable {
    var id: Int64
    var publicID: String
    var email: String
    var role: String
    var invitedRole: String?
    var firstName: String?
    var lastName: String?
    var company: String?
    var disableRapidEmails: Bool
    var expiry: Int64?

    static let activeRoles = Set([TeammateRole.admin, .manager, .member, .labeler].map(\.rawValue))

    var isActive: Bool { Self.activeRoles.contains(role) }
    var isStudioLabeler: Bool { role == "labeler" || invitedRole == "labeler" }

    init(row: Row) {
        id = row[0]
        publicID = row[1]
        email = row[2]
        role = row[3]
        invitedRole = row[4]
        firstName = row[5]
        lastName = row[6]
        company = row[7]
        disableRapidEmails = row[8]
        expiry = row[9]
    }

    func write(into w: inout JSONWriter) {
        w.beginObject()
        w.field("email", email)
        w.field("role", role)
        if let firstName { w.field("firstName", firstName) }
        if let lastName { w.field("lastName", lastName) }
        if let company { w.field("company", company) }
        w.field("isStudioLabeler", isStudioLabeler)
        w.field("disableRapidEmails", disableRapidEmails)
        if role == "invited", let expiry { w.field("expiry", Timestamp(milliseconds: expiry).iso8601) }
        w.endObject()
    }
}

enum Teammates {
    static let columns =
        "id, public_id, email, role, invited_role, first_name, last_name, company, disable_rapid_emails, expiry"

    static func all(_ db: Database, tenant: Int64) throws -> [TeammateRow] {
        try db.rows("SELECT \(columns) FROM teammate WHERE tenant_id = ? ORDER BY id", [tenant]).map(
            TeammateRow.init(row:)
        )
    }

    /// The teammates with these emails, keyed by each email as given (unknown emails are
    /// absent). Emails match lower-cased: `Ada@x.com` finds `ada@x.com`.
    static func byEmail(_ db: Database, tenant: Int64, _ emails: [String]) throws -> [String: TeammateRow] {
        var found: [String: TeammateRow] = [:]
        for email in emails {
            if let row = try db.row(
                "SELECT \(columns) FROM teammate WHERE tenant_id = ? AND email = ? COLLATE NOCASE",
                [tenant, email]
            ) {
                found[email] = TeammateRow(row: row)
            }
        }
        return found
    }

    static func insert(
        _ db: Database,
        tenant: Int64,
        email: String,
        role: String,
        invitedRole: String? = nil,
        firstName: String? = nil,
        lastName: String? = nil,
        company: String? = nil,
        expiry: Timestamp? = nil,
        now: Timestamp
    ) throws {
        try db.run(
            """
            INSERT INTO teammate (public_id, tenant_id, email, role, invited_role, first_name, last_name, company,
                expiry, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                RandomID.make(), tenant, email, role, invitedRole, firstName, lastName, company,
                expiry?.milliseconds, now.milliseconds,
            ]
        )
    }

    static func encode(_ rows: [TeammateRow]) -> [UInt8] {
        var w = JSONWriter(capacity: rows.count * 140 + 2)
        w.beginArray()
        for row in rows { row.write(into: &w) }
        w.endArray()
        return w.bytes
    }
}
