import GRDB
import RefonteAPI

/// `teams.*`: the team and its roles.
enum TeamHandlers {
    static let all: KeyValuePairs<String, OperationHandler> = [
        "teams.list": list,
        "teams.invite": invite,
        "teams.set_role": setRole,
    ]

    static let invitationDays: Int64 = 7

    static func list(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let tenant = request.tenant.id
        return try await store.read { db in Teammates.encode(try Teammates.all(db, tenant: tenant)) }
    }

    /// The role named in `team_role`, refused (402) when it needs Studio and the account has none.
    private static func role(_ request: OperationRequest) throws -> TeammateRole {
        let role = try request.arguments.requiredChoice("team_role", as: TeammateRole.self)
        if role == .labeler, !request.tenant.studio {
            throw SandboxError(
                402,
                "\(request.operationID): the labeler role needs a Studio account; this account has no Studio"
            )
        }
        return role
    }

    static func invite(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let emails = uniquedEmails(try request.arguments.requiredStrings("emails"))
        let role = try role(request).rawValue
        let (tenant, now) = (request.tenant.id, request.now)
        let expiry = now.adding(days: invitationDays)
        return try await store.write(tenant: tenant, touching: .team) { db in
            let existing = try Teammates.byEmail(db, tenant: tenant, emails)
            for email in emails {
                if let teammate = existing[email] {
                    // Inviting again renews a pending invitation; active members stay as they are.
                    if teammate.role == "invited" {
                        try db.run(
                            "UPDATE teammate SET invited_role = ?, expiry = ? WHERE id = ?",
                            [role, expiry.milliseconds, teammate.id]
                        )
                    }
                } else {
                    try Teammates.insert(
                        db,
                        tenant: tenant,
                        email: email,
                        role: "invited",
                        invitedRole: role,
                        expiry: expiry,
                        now: now
                    )
                }
            }
            return Teammates.encode(try Teammates.all(db, tenant: tenant))
        }
    }

    static func setRole(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let emails = uniquedEmails(try request.arguments.requiredStrings("emails"))
        let role = try role(request).rawValue
        let (tenant, operation) = (request.tenant.id, request.operationID)
        return try await store.write(tenant: tenant, touching: .team) { db in
            let existing = try Teammates.byEmail(db, tenant: tenant, emails)
            let unknown = emails.filter { existing[$0] == nil }
            if !unknown.isEmpty {
                throw SandboxError.notFound("\(operation): no teammate with email \(quotedList(unknown))")
            }
            let admins = emails.filter { existing[$0]?.role == "admin" }
            if !admins.isEmpty {
                throw SandboxError(
                    403,
                    "\(operation): the role of an admin cannot be changed: \(quotedList(admins))"
                )
            }
            for email in emails {
                try db.run(
                    "UPDATE teammate SET role = ?, invited_role = NULL, expiry = NULL WHERE id = ?",
                    [role, existing[email]!.id]
                )
                if role == "disabled" {
                    // A disabled teammate works on nothing: it leaves its projects and groups.
                    try Assignments.removeAll(db, teammate: existing[email]!.id)
                }
            }
            return Teammates.encode(try Teammates.all(db, tenant: tenant))
        }
    }
}
