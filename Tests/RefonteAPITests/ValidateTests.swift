import Testing

@testable import RefonteAPI

private func op(_ id: String) throws -> Operation {
    try #require(Catalog.operation(id: id))
}

private func rejection(
    _ id: String,
    path: [String: String] = [:],
    query: [(name: String, value: String)] = [],
    body: String? = nil
) throws -> String {
    let operation = try op(id)
    do {
        _ = try operation.validate(pathParameters: path, query: query, body: body.map { Array($0.utf8) })
    } catch {
        #expect(error.status == 400)
        return error.message
    }
    Issue.record("\(id) accepted")
    return ""
}

@Suite struct ValidateTests {
    @Test func acceptsWhatPrepareSends() throws {
        for (id, arguments) in [
            ("teams.invite", ["emails": JSONValue.array(["a@x.io"]), "role": "member"]),
            ("tasks.list", ["tags": .array(["a", "b"]), "limit": 5, "include_attachment_url": true]),
            ("tasks.create", ["type": "chat", "project": "p", "extra": .array([1, 2.5])]),
            ("studio.batches.set_priorities", ["batches": .array([.object(["name": "b"])])]),
            ("tasks.add_tags", ["task_id": "t", "tags": .array(["x"])]),
        ] as [(String, [String: JSONValue])] {
            let operation = try op(id)
            let request = try operation.prepare(arguments)
            let pathValues = Dictionary(
                uniqueKeysWithValues: operation.parameters.filter { $0.location == .path }.compactMap { p in
                    arguments[p.name].flatMap { v in
                        if case .string(let s) = v { (p.wireName, s) } else { nil }
                    }
                }
            )
            let validated = try operation.validate(
                pathParameters: pathValues,
                query: request.query.map { ($0.name, $0.value) },
                body: request.body
            )
            for p in operation.parameters {
                if let given = arguments[p.name] {
                    #expect(validated.values[p.wireName] == given, "\(id).\(p.name)")
                }
            }
        }
    }

    @Test func wireNamesDefaultsAndExtras() throws {
        let invite = try op("teams.invite").validate(
            pathParameters: [:],
            query: [],
            body: Array(#"{"emails":["a@x.io"],"team_role":"manager"}"#.utf8)
        )
        #expect(invite.values == ["emails": .array(["a@x.io"]), "team_role": "manager"])
        let list = try op("tasks.list").validate(
            pathParameters: [:],
            query: [("status", "pending")],
            body: nil
        )
        #expect(list.values == ["status": "pending", "limit": 100])
        let create = try op("tasks.create").validate(
            pathParameters: ["type": "chat"],
            query: [],
            body: Array(#"{"project":"p","turns":3,"batch":null}"#.utf8)
        )
        #expect(create.values == ["type": "chat", "project": "p"])
        #expect(create.extraBodyFields == ["turns": 3])
        let metadata = try op("tasks.set_metadata").validate(
            pathParameters: ["task_id": "t"],
            query: [],
            body: nil
        )
        #expect(metadata.values["metadata"] == .object([:]))
    }

    @Test func queryBooleansAcceptPythonSpelling() throws {
        for text in ["true", "True"] {
            let v = try op("projects.list").validate(
                pathParameters: [:],
                query: [("archived", text)],
                body: nil
            )
            #expect(v.values["archived"] == true)
        }
        let f = try op("projects.list").validate(
            pathParameters: [:],
            query: [("archived", "False")],
            body: nil
        )
        #expect(f.values["archived"] == false)
        #expect(
            try rejection("projects.list", query: [("archived", "yes")])
                == #"query parameter 'archived' must be a boolean (got "yes")"#
        )
    }

    @Test func badQueries() throws {
        #expect(
            try rejection("tasks.list", query: [("limit", "+5")])
                == #"query parameter 'limit' must be an integer from 1 to 100 (got "+5")"#
        )
        #expect(
            try rejection("tasks.list", query: [("limit", "0")])
                == #"query parameter 'limit' must be an integer from 1 to 100 (got "0")"#
        )
        #expect(
            try rejection("tasks.list", query: [("limit", "5"), ("limit", "6")])
                == "query parameter 'limit' was given 2 times; expected once"
        )
        #expect(
            try rejection("tasks.list", query: [("status", "done")])
                == #"query parameter 'status' must be one of pending, completed, canceled, error (got "done")"#
        )
        #expect(
            try rejection("tasks.list", query: [("limt", "5")]).hasPrefix(
                "unknown query parameter 'limt' (expected one of: project, batch,"
            )
        )
        #expect(
            try rejection("quality.attempts.list", query: [("limit", "5")])
                == "at least one of the fields 'quality_task_ids', 'labeler_emails' is required"
        )
        #expect(
            try rejection("batches.list", query: [("start_time", "2024-02-30T00:00:00Z")])
                == #"query parameter 'start_time' must be an ISO-8601 date-time string such as 2024-01-31T09:00:00Z (got "2024-02-30T00:00:00Z")"#
        )
    }

    @Test func badBodies() throws {
        #expect(
            try rejection("teams.invite", body: #"{"emails": ["a@x.io"], "team_role": "member",}"#)
                == "request body is not valid JSON: unexpected '}', expected a string key at byte 45"
        )
        #expect(
            try rejection("teams.invite", body: "[1]") == "request body must be a JSON object (got an array)"
        )
        #expect(
            try rejection("teams.invite", body: #"{"emails":["a@x.io"],"team_role":"admin"}"#)
                == #"body field 'team_role' must be one of labeler, member, manager (got "admin")"#
        )
        #expect(
            try rejection("teams.invite", body: #"{"emails":["a@x.io"],"team_role":"member","x":1}"#)
                == "unknown body field 'x' (expected one of: emails, team_role)"
        )
        #expect(
            try rejection("teams.invite", body: #"{"team_role":"member"}"#)
                == "missing required body field 'emails' (array of email addresses)"
        )
        #expect(
            try rejection("teams.invite", body: #"{"emails":{},"team_role":"member"}"#)
                == "body field 'emails' must be an array of email addresses (got an empty object)"
        )
        #expect(
            try rejection("batches.finalize", path: ["batch": "b"], body: #"{"force":true}"#)
                == "unknown body field 'force' (this operation takes no body fields)"
        )
        #expect(
            try rejection("tasks.set_tags", path: ["task_id": "t"], body: #"["a", 1]"#)
                == "request body[1] must be a string (got 1)"
        )
        #expect(
            try rejection("tasks.set_tags", path: ["task_id": "t"], body: "")
                == "request body must be an array of strings (got an empty object)"
        )
        #expect(
            try rejection(
                "studio.batches.set_priorities",
                body: #"{"batches":[{"name":"a"},{"name":"b","x":1}]}"#
            ) == "unknown body field 'batches[1].x' (expected one of: name)"
        )
        #expect(
            try rejection("tasks.list", body: #"{"limit": 5}"#)
                == "unknown body field 'limit' (this operation takes no body fields)"
        )
        #expect(
            try rejection(
                "projects.update_pipeline_config",
                path: ["project": "p"],
                body: #"{"pipeline":"standard_task","consensus_attempts":2}"#
            )
                == #"field 'consensus_attempts' is only allowed when 'pipeline' is "consensus_task" (got "standard_task")"#
        )
    }

    @Test func badPaths() throws {
        #expect(
            try rejection("tasks.create", path: ["type": "painting"], body: #"{"project":"p"}"#)
                .hasPrefix(#"path parameter 'type' must be one of annotation, categorization,"#)
        )
        #expect(try rejection("projects.get", path: ["project": ""]) == "missing path parameter 'project'")
    }
}

/// Rules the catalog declares beyond types (non-empty names and lists, email addresses, rules
/// between arguments) are refused by the client before sending and by the server alike.
@Suite struct DeclaredRulesTests {
    @Test(
        arguments: [
            (
                "batches.create", #"{"project":"p","name":""}"#, ["name": "", "project": "p"],
                "'name' must be a non-empty string"
            ),
            (
                "teams.invite", #"{"emails":[],"team_role":"member"}"#,
                ["emails": .array([]), "role": "member"], "must be a non-empty array of email addresses"
            ),
            (
                "teams.invite", #"{"emails":["ana@localhost"],"team_role":"member"}"#,
                ["emails": .array(["ana@localhost"]), "role": "member"],
                "must be an email address such as ana@example.com (got \"ana@localhost\")"
            ),
            (
                "studio.assignments.add", #"{"emails":["a@x.io"],"projects":[]}"#,
                ["emails": .array(["a@x.io"]), "projects": .array([])],
                "'projects' must be a non-empty array of strings"
            ),
            (
                "tasks.create", #"{"project":"p","unique_id":""}"#,
                ["type": "chat", "project": "p", "unique_id": ""], "'unique_id' must be a non-empty string"
            ),
            (
                "projects.create", #"{"type":"chat","name":"n","pipeline":"standard_task"}"#,
                ["type": "chat", "name": "n", "pipeline": "standard_task"],
                "'pipeline' is only allowed when 'studio' is true"
            ),
            (
                "studio.projects.send_tasks_to_completed", #"{"all_batches":false}"#,
                ["project": "p", "all_batches": false], "is required ('all_batches' is false)"
            ),
        ] as [(String, String, [String: JSONValue], String)]
    )
    func refusedOnBothSides(id: String, body: String, arguments: [String: JSONValue], words: String) throws {
        let operation = try op(id)
        let path =
            id == "tasks.create" ? ["type": "chat"] : id.hasPrefix("studio.projects") ? ["project": "p"] : [:]
        do {
            _ = try operation.validate(pathParameters: path, query: [], body: Array(body.utf8))
            Issue.record("\(id): the server accepted \(body)")
        } catch {
            #expect(error.message.contains(words), "\(id): \(error.message)")
        }
        do {
            _ = try operation.prepare(arguments)
            Issue.record("\(id): the client accepted \(arguments)")
        } catch {
            #expect(error.description.contains(words), "\(id): \(error.description)")
        }
    }
}

/// Handlers read a checked request only as its operation declares it.
@Suite struct ValidatedRequestAccessTests {
    @Test func readsTypedValuesAndDefaults() throws {
        let list = try op("tasks.list").validate(
            pathParameters: [:],
            query: [("status", "completed"), ("tags", "a"), ("tags", "b")],
            body: nil
        )
        #expect(try list.requiredInteger("limit") == 100)
        #expect(try list.choice("status", as: TaskStatus.self) == .completed)
        #expect(try list.strings("tags") == ["a", "b"])
        #expect(try list.choice("type", as: TaskType.self) == nil)
        #expect(try list.string("project") == nil)
    }

    @Test func readingAgainstTheDeclarationIsRefused() throws {
        let invite = try op("teams.invite").validate(
            pathParameters: [:],
            query: [],
            body: Array(#"{"emails":["a@x.io"],"team_role":"member"}"#.utf8)
        )
        #expect(try invite.requiredChoice("team_role", as: TeammateRole.self) == .member)
        #expect(throws: ArgumentAccessError.self) { try invite.string("nope") }
        #expect(throws: ArgumentAccessError.self) { try invite.integer("emails") }
        // The catalog allows values that TaskStatus has no case for.
        #expect(throws: ArgumentAccessError.self) { try invite.choice("team_role", as: TaskStatus.self) }
        let list = try op("tasks.list").validate(pathParameters: [:], query: [], body: nil)
        // Optional with no default: a handler may not assume it is there.
        #expect(throws: ArgumentAccessError.self) { try list.requiredString("project") }
    }
}
