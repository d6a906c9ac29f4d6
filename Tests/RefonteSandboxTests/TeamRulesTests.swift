import Foundation
import RefonteAPI
import Testing

@testable import RefonteSandbox

@Suite("Teams and assignments follow the contract")
struct TeamRulesTests {
    @Test func invitedTeammatesExpireInSevenDays() async throws {
        let f = try await Fixture()
        let before = Timestamp.now()
        let team = try await f.call(
            "teams.invite",
            ["emails": .strings(["new.one@example.com"]), "team_role": .string("member")]
        )
        let entry = try #require(
            (team as? [[String: Any]])?.first { $0["email"] as? String == "new.one@example.com" }
        )
        #expect(entry["role"] as? String == "invited")
        let expiryText = try #require(entry["expiry"] as? String)
        let expiry = try #require(Timestamp(iso8601: expiryText))
        let days = Double(expiry.milliseconds - before.milliseconds) / 86_400_000
        #expect(days > 6.99 && days < 7.01)
        // The whole team comes back, not only the new member.
        #expect((team as? [Any])?.count == 61)
    }

    @Test func labelerRoleNeedsStudio() async throws {
        let f = try await Fixture()
        let plain = try await f.plainTenant()
        let refused = try await f.refusal(
            "teams.invite",
            ["emails": .strings(["x@example.com"]), "team_role": .string("labeler")],
            as: plain
        )
        #expect(refused.status == 402)
        // The Studio account may.
        try await f.call(
            "teams.invite",
            ["emails": .strings(["x@example.com"]), "team_role": .string("labeler")]
        )
        #expect(
            try f.count(
                "SELECT COUNT(*) FROM teammate WHERE email = 'x@example.com' AND tenant_id = \(f.tenant.id)"
            ) == 1
        )
    }

    @Test func setRoleRefusesAdminsAndNamesUnknownEmails() async throws {
        let f = try await Fixture()
        let admin = try #require(
            try f.store.strings(
                "SELECT email FROM teammate WHERE role = 'admin' AND tenant_id = \(f.tenant.id)"
            ).first
        )
        let member = try #require(
            try f.store.strings(
                "SELECT email FROM teammate WHERE role = 'member' AND tenant_id = \(f.tenant.id)"
            ).first
        )
        let forbidden = try await f.refusal(
            "teams.set_role",
            ["emails": .strings([admin]), "team_role": .string("member")]
        )
        #expect(forbidden.status == 403)
        #expect(forbidden.message.contains(admin))
        let unknown = try await f.refusal(
            "teams.set_role",
            ["emails": .strings([member, "ghost@example.com"]), "team_role": .string("manager")]
        )
        #expect(unknown.status == 404)
        #expect(unknown.message.contains("ghost@example.com"))
        #expect(!unknown.message.contains(member))
        // Nothing changed on refusal; then the valid change applies.
        #expect(
            try f.store.strings("SELECT role FROM teammate WHERE email = ?", [member]).allSatisfy {
                $0 == "member"
            }
        )
        try await f.call("teams.set_role", ["emails": .strings([member]), "team_role": .string("manager")])
        #expect(
            try f.store.strings(
                "SELECT role FROM teammate WHERE email = ? AND tenant_id = \(f.tenant.id)",
                [member]
            )
                == ["manager"]
        )
    }

    @Test func assignmentsListOnlyActiveMembers() async throws {
        let f = try await Fixture()
        let assignments = try #require(try await f.call("studio.assignments.list") as? [String: [String]])
        let active = try f.store.strings(
            "SELECT email FROM teammate WHERE tenant_id = \(f.tenant.id) AND role IN ('admin','manager','member','labeler')"
        )
        #expect(Set(assignments.keys) == Set(active))
        #expect(active.count == 50)
        #expect(assignments.values.contains { !$0.isEmpty })
    }

    @Test func assigningNeedsStudioProjectsAndTeammatesWhoAreNotDisabled() async throws {
        let f = try await Fixture()
        let disabled = try #require(
            try f.store.strings(
                "SELECT email FROM teammate WHERE role = 'disabled' AND tenant_id = \(f.tenant.id)"
            ).first
        )
        let refused = try await f.refusal(
            "studio.assignments.add",
            ["emails": .strings([disabled]), "projects": .strings(["Street Scenes"])]
        )
        #expect(refused.status == 400)
        #expect(refused.message.contains(disabled))
        // Onboarding assigns people it has just invited; they are listed once they accept.
        let invited = try #require(
            try f.store.strings(
                "SELECT email FROM teammate WHERE role = 'invited' AND tenant_id = \(f.tenant.id)"
            ).first
        )
        let accepted = try await f.call(
            "studio.assignments.add",
            ["emails": .strings([invited]), "projects": .strings(["Street Scenes"])]
        )
        let listed = try #require(accepted as? [String: Any])
        #expect(listed[invited] == nil)
        let stored = try f.store.strings(
            """
            SELECT p.name FROM assignment a JOIN teammate t ON t.id = a.teammate_id
              JOIN project p ON p.id = a.project_id WHERE t.email = '\(invited)'
            """
        )
        #expect(stored == ["Street Scenes"])
        let manager = try #require(
            try f.store.strings(
                "SELECT email FROM teammate WHERE role = 'manager' AND tenant_id = \(f.tenant.id)"
            ).first
        )
        let notStudio = try await f.refusal(
            "studio.assignments.add",
            ["emails": .strings([manager]), "projects": .strings(["API Transcripts"])]
        )
        #expect(notStudio.status == 400)
        let after = try #require(
            try await f.call(
                "studio.assignments.add",
                ["emails": .strings([manager]), "projects": .strings(["Street Scenes", "Support Chats"])]
            ) as? [String: [String]]
        )
        #expect(after[manager] == ["Street Scenes", "Support Chats"])
        let removed = try #require(
            try await f.call(
                "studio.assignments.remove",
                ["emails": .strings([manager]), "projects": .strings(["Street Scenes"])]
            ) as? [String: [String]]
        )
        #expect(removed[manager] == ["Support Chats"])
    }

    @Test func groupMembersMustBeAssignedToTheProject() async throws {
        let f = try await Fixture()
        let project = "Street Scenes"
        let assigned = try f.store.strings(
            """
            SELECT tm.email FROM teammate tm JOIN assignment a ON a.teammate_id = tm.id JOIN project p ON p.id = a.project_id
            WHERE p.name = ? AND tm.tenant_id = \(f.tenant.id) ORDER BY tm.email
            """,
            [project]
        )
        let stranger = try #require(
            try f.store.strings(
                """
                SELECT email FROM teammate WHERE tenant_id = \(f.tenant.id) AND role = 'labeler' AND id NOT IN
                (SELECT teammate_id FROM assignment a JOIN project p ON p.id = a.project_id WHERE p.name = ?)
                """,
                [project]
            ).first
        )
        let refused = try await f.refusal(
            "studio.groups.create",
            [
                "project": .string(project), "name": .string("Tiger Team"),
                "emails": .strings([assigned[0], stranger]),
            ]
        )
        #expect(refused.status == 400)
        #expect(refused.message.contains(stranger))
        #expect(!refused.message.contains(assigned[0]))
        let group = try await f.call(
            "studio.groups.create",
            [
                "project": .string(project), "name": .string("Tiger Team"),
                "emails": .strings(Array(assigned.prefix(2))),
            ]
        )
        #expect(json(group, "numWorkers") as? Int == 2)
        #expect(json(group, "isSingleton") as? Bool == false)
        let duplicate = try await f.refusal(
            "studio.groups.create",
            ["project": .string(project), "name": .string("Tiger Team"), "emails": .strings([])]
        )
        #expect(duplicate.status == 409)
        let updateRefused = try await f.refusal(
            "studio.groups.update",
            ["project": .string(project), "group": .string("Tiger Team"), "add_emails": .strings([stranger])]
        )
        #expect(updateRefused.status == 400 && updateRefused.message.contains(stranger))
        let updated = try await f.call(
            "studio.groups.update",
            [
                "project": .string(project), "group": .string("Tiger Team"),
                "remove_emails": .strings([assigned[0]]),
            ]
        )
        #expect(json(updated, "numWorkers") as? Int == 1)
        #expect(json(updated, "workers.0.email") as? String == assigned[1])
    }
}
