import Testing

@testable import RefonteAPI

@Suite struct ResponseConformanceTests {
    private let teammate: JSONValue = ["email": "a@x", "role": "member", "isStudioLabeler": false]

    @Test func acceptsContractShapes() throws {
        let invite = try #require(Catalog.operation(id: "teams.invite"))
        let invited: JSONValue = [
            "email": "b@x", "role": "invited", "isStudioLabeler": true, "expiry": "2024-02-07T10:00:00Z",
        ]
        #expect(invite.response.conformanceProblems(of: [teammate, invited]).isEmpty)
        let page: JSONValue = [
            "docs": [], "total": 0, "limit": 100, "offset": 0, "has_more": false, "next_token": nil,
            "totalDocs": 0,
        ]
        #expect(
            try #require(Catalog.operation(id: "batches.list")).response.conformanceProblems(of: page).isEmpty
        )
        let assignments: JSONValue = ["a@x": ["p1"], "b@x": []]
        #expect(ResponseSchema.model("Assignments").conformanceProblems(of: assignments).isEmpty)
    }

    @Test func namesEachDeparture() {
        let bad: JSONValue = [
            "email": "a@x", "role": "owner", "firstName": nil, "isStudioLabeler": false, "id": 3,
        ]
        #expect(
            ResponseSchema.array(.model("Teammate")).conformanceProblems(of: [bad])
                == [
                    "$[0].role: expected one of admin, manager, member, labeler, invited, disabled (got \"owner\")",
                    "$[0].firstName: expected string (got null)",
                    "$[0].id: not in the contract",
                ]
        )
        let page: JSONValue = ["docs": [], "total": 0, "limit": 100, "offset": 0, "has_more": false]
        #expect(ResponseSchema.model("TaskList").conformanceProblems(of: page) == ["$.next_token: missing"])
    }
}
