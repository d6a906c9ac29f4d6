extension Catalog {
    static let teams: [Operation] = [
        Operation(
            id: "teams.list",
            method: .get,
            path: "/teams",
            mutates: false,
            summary: "List every teammate of the account.",
            returns: "[Teammate]",
            response: .array(.model("Teammate"))
        ),
        Operation(
            id: "teams.invite",
            method: .post,
            path: "/teams/invite",
            parameters: [
                emails("Emails of the people to invite.", type: .email),
                Parameter(
                    "role",
                    wireName: "team_role",
                    in: .body,
                    .choice([TeammateRole.labeler, .member, .manager]),
                    required: true,
                    doc: "Role of the new teammates; `labeler` is for Studio accounts only."
                ),
            ],
            mutates: true,
            // A repeat sends a second invitation e-mail and restarts the expiry, so after an
            // ambiguous failure the team is read first.
            retry: .checked(
                Recovery(read: "teams.list", pick: .wholeWhenItHasAll(field: "email", argument: "emails"))
            ),
            planned: .each("emails", .object(["email": .item(), "role": .literal("invited")])),
            summary: "Invite teammates by email.",
            returns: "[Teammate], the whole team after the change; new members appear as `invited`",
            response: .array(.model("Teammate"))
        ),
        Operation(
            id: "teams.set_role",
            method: .post,
            path: "/teams/set_role",
            parameters: [
                emails("Emails of the teammates to change."),
                Parameter(
                    "role",
                    wireName: "team_role",
                    in: .body,
                    .choice([TeammateRole.labeler, .member, .manager, .disabled]),
                    required: true,
                    doc: "The new role; admins cannot be changed."
                ),
            ],
            mutates: true,
            retry: .idempotent,
            planned: .each("emails", .object(["email": .item(), "role": .argument("team_role")])),
            summary: "Change the role of teammates (not admins).",
            returns: "[Teammate], the whole team after the change",
            response: .array(.model("Teammate"))
        ),
    ]

    /// Emails name teammates; a change that names none does nothing, so that list may not be
    /// empty (a new group may start with no members).
    static func emails(_ doc: String, type: ValueType = .string, nonEmpty: Bool = true) -> Parameter {
        Parameter("emails", in: .body, .array(type), required: true, doc: doc, nonEmpty: nonEmpty)
    }
}
