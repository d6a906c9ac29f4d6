import Foundation
import RefonteAPI
import Testing

@testable import RefonteSandbox

/// Emails compare case-insensitively everywhere: stored and returned as first given, matched
/// lower-cased (the contract's Objects section).
@Suite("Emails match whatever their case")
struct EmailCaseTests {
    @Test func invitingAnotherCaseOfAKnownEmailMakesNoSecondTeammate() async throws {
        let f = try await Fixture()
        let before = try f.count("SELECT COUNT(*) FROM teammate WHERE tenant_id = \(f.tenant.id)")
        try await f.call("teams.invite", ["emails": .strings(["ada@x.com"]), "team_role": .string("member")])
        let team = try await f.call(
            "teams.invite",
            ["emails": .strings(["Ada@X.com", "ADA@x.com"]), "team_role": .string("member")]
        )
        let matching = (team as? [[String: Any]] ?? []).compactMap { $0["email"] as? String }
            .filter { $0.lowercased() == "ada@x.com" }
        // Stored and returned as first given.
        #expect(matching == ["ada@x.com"])
        #expect(try f.count("SELECT COUNT(*) FROM teammate WHERE tenant_id = \(f.tenant.id)") == before + 1)
    }

    @Test func setRoleAssignmentsAndGroupsFindTeammatesInAnyCase() async throws {
        let f = try await Fixture()
        let member = try #require(
            try f.store.strings(
                "SELECT email FROM teammate WHERE role = 'member' AND tenant_id = \(f.tenant.id) ORDER BY id"
            ).first
        )
        let shouted = member.uppercased()
        try await f.call("teams.set_role", ["emails": .strings([shouted]), "team_role": .string("manager")])
        #expect(
            try f.store.strings(
                "SELECT role FROM teammate WHERE email = ? AND tenant_id = \(f.tenant.id)",
                [member]
            ) == ["manager"]
        )

        let project = try #require(
            try f.store.strings(
                "SELECT name FROM project WHERE studio = 1 AND tenant_id = \(f.tenant.id) ORDER BY id"
            ).first
        )
        let assignments = try await f.call(
            "studio.assignments.add",
            ["emails": .strings([shouted]), "projects": .strings([project])]
        )
        let byEmail = try #require(assignments as? [String: Any])
        #expect(byEmail[shouted] == nil)
        #expect((byEmail[member] as? [String])?.contains(project) == true)

        let group = try await f.call(
            "studio.groups.create",
            ["project": .string(project), "name": .string("Case Group"), "emails": .strings([shouted])]
        )
        let workers = (group as? [String: Any])?["workers"] as? [[String: Any]]
        #expect(workers?.compactMap { $0["email"] as? String } == [member])
    }
}
