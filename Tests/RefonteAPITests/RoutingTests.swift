import Testing

@testable import RefonteAPI

@Suite struct RoutingTests {
    private func found(_ method: HTTPMethod, _ path: String) -> (String, [String: String])? {
        if case .found(let operation, let parameters) = Catalog.route(method: method, path: path) {
            return (operation.id, parameters)
        }
        return nil
    }

    @Test func everyPathTemplateRoutesToItsOperation() {
        for operation in Catalog.operations {
            let routes = [(operation.method, operation.path)] + operation.aliases.map { ($0.method, $0.path) }
            for (method, template) in routes {
                // Fill each {name} with a value that needs encoding, and expect it back decoded.
                var expected: [String: String] = [:]
                let path = template.split(separator: "/", omittingEmptySubsequences: false).map {
                    segment -> String in
                    guard segment.hasPrefix("{") else { return String(segment) }
                    let name = String(segment.dropFirst().dropLast())
                    let value = name == "type" ? "chat" : "a b/\(name)"
                    expected[name] = value
                    return PercentEncoding.pathSegment(value)
                }.joined(separator: "/")
                let match = found(method, path)
                #expect(match?.0 == operation.id, "\(method.rawValue) \(path)")
                #expect(match?.1 == expected, "\(method.rawValue) \(path)")
            }
        }
    }

    @Test func literalsWinOverParameters() {
        #expect(found(.post, "/studio/batches/set_priorities")?.0 == "studio.batches.set_priorities")
        #expect(found(.put, "/studio/batches/set_priorities")?.0 == "studio.batches.set_groups")
        #expect(
            found(.post, "/studio/projects/p/updatePipelineConfig")?.0 == "projects.update_pipeline_config"
        )
    }

    @Test func wrongMethodAndUnknownPaths() {
        guard case .methodNotAllowed(let allowed) = Catalog.route(method: .delete, path: "/teams") else {
            Issue.record("DELETE /teams")
            return
        }
        #expect(allowed == [.get])
        guard case .methodNotAllowed(let tags) = Catalog.route(method: .get, path: "/task/t1/tags") else {
            Issue.record("GET tags")
            return
        }
        #expect(tags == [.post, .put, .delete])
        for path in ["/nope", "/teams/x/y", "/projects//setParams", "/projects/%ZZ", ""] {
            if case .notFound = Catalog.route(method: .get, path: path) {
            } else {
                Issue.record("\(path) routed")
            }
        }
    }
}

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
