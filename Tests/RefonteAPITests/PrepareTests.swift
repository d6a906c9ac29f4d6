import Testing

@testable import RefonteAPI

private func op(_ id: String) throws -> Operation {
    try #require(Catalog.operation(id: id))
}

private func prepareError(_ id: String, _ arguments: [String: JSONValue]) throws -> String {
    let operation = try op(id)
    do {
        _ = try operation.prepare(arguments)
    } catch {
        return error.description
    }
    Issue.record("\(id) accepted \(arguments)")
    return ""
}

private func bodyText(_ request: PreparedRequest) -> String? {
    request.body.map { String(decoding: $0, as: UTF8.self) }
}

@Suite struct PrepareErrorTests {
    private let emails: JSONValue = .array([.string("a@x.com")])

    @Test func valueOutsideTheEnum() throws {
        #expect(
            try prepareError("teams.invite", ["emails": emails, "role": "admin"])
                == #"refonte.teams.invite: argument 'role' must be one of labeler, member, manager (got "admin")"#
        )
    }

    @Test func misspeltEnumValueGetsASuggestion() throws {
        #expect(
            try prepareError("teams.invite", ["emails": emails, "role": "manger"])
                == #"refonte.teams.invite: argument 'role' must be one of labeler, member, manager (got "manger"); did you mean "manager"?"#
        )
    }

    @Test func missingArgumentPointsAtAMisspeltFreeFormOne() throws {
        #expect(
            try prepareError("tasks.create", ["type": "chat", "projet": "p"])
                == "refonte.tasks.create: missing required argument 'project' (string); 'projet' was given, did you mean 'project'?"
        )
    }

    @Test func missingRequiredArgument() throws {
        #expect(
            try prepareError("teams.invite", ["role": "member"])
                == "refonte.teams.invite: missing required argument 'emails' (array of email addresses)"
        )
        #expect(
            try prepareError("teams.invite", ["emails": .null, "role": "member"])
                == "refonte.teams.invite: missing required argument 'emails' (array of email addresses)"
        )
    }

    @Test func unknownArgumentWithSuggestion() throws {
        #expect(
            try prepareError("teams.invite", ["emale": emails, "role": "member"])
                == "refonte.teams.invite: unknown argument 'emale' (expected one of: emails, role); did you mean 'emails'?"
        )
        #expect(
            try prepareError("teams.invite", ["colour": "red", "emails": emails, "role": "member"])
                == "refonte.teams.invite: unknown argument 'colour' (expected one of: emails, role)"
        )
        #expect(
            try prepareError("teams.list", ["x": 1])
                == "refonte.teams.list: unknown argument 'x' (this operation takes no arguments)"
        )
    }

    @Test func wrongTypes() throws {
        #expect(
            try prepareError("teams.invite", ["emails": "a@x.com", "role": "member"])
                == #"refonte.teams.invite: argument 'emails' must be an array of email addresses (got "a@x.com")"#
        )
        #expect(
            try prepareError("teams.invite", ["emails": .array(["a@x.com", 5]), "role": "member"])
                == "refonte.teams.invite: argument 'emails[2]' must be an email address such as ana@example.com (got 5)"
        )
        #expect(
            try prepareError("tasks.audit", ["task_id": "t1", "accepted": "yes"])
                == #"refonte.tasks.audit: argument 'accepted' must be a boolean (got "yes")"#
        )
        #expect(
            try prepareError("batches.set_metadata", ["batch": "b", "metadata": .array(["x"])])
                == "refonte.batches.set_metadata: argument 'metadata' must be an object (got an array)"
        )
        #expect(
            try prepareError("tasks.list", ["start_time": "yesterday"])
                == #"refonte.tasks.list: argument 'start_time' must be an ISO-8601 date-time string such as 2024-01-31T09:00:00Z (got "yesterday")"#
        )
    }

    @Test func integersAndRanges() throws {
        #expect(
            try prepareError("tasks.list", ["limit": .double(2.5)])
                == "refonte.tasks.list: argument 'limit' must be an integer from 1 to 100 (got 2.5)"
        )
        #expect(
            try prepareError("tasks.list", ["limit": 500])
                == "refonte.tasks.list: argument 'limit' must be an integer from 1 to 100 (got 500)"
        )
        #expect(
            try prepareError("batches.list", ["offset": -1])
                == "refonte.batches.list: argument 'offset' must be an integer of at least 0 (got -1)"
        )
        // Lua's 3.0 is an integer in all but subtype.
        let request = try op("tasks.list").prepare(["limit": .double(3.0)])
        #expect(request.query == [.init(name: "limit", value: "3")])
    }

    @Test func nonFiniteNumbersAreRefused() throws {
        #expect(
            try prepareError(
                "tasks.create",
                ["type": "chat", "project": "p", "weights": .array([1, .double(.nan)])]
            )
                == "refonte.tasks.create: argument 'weights[2]' must be a finite number (got nan)"
        )
        #expect(
            try prepareError("batches.set_metadata", ["batch": "b", "metadata": ["x": .double(.infinity)]])
                == "refonte.batches.set_metadata: argument 'metadata.x' must be a finite number (got inf)"
        )
    }

    @Test func recordsInsideArrays() throws {
        let bad: JSONValue = .array([.object(["name": "b1"]), .object(["nmae": "b2"])])
        #expect(
            try prepareError("studio.batches.set_priorities", ["batches": bad])
                == "refonte.studio.batches.set_priorities: unknown argument 'batches[2].nmae' (expected one of: name); did you mean 'name'?"
        )
        let missing: JSONValue = .array([.object([:])])
        #expect(
            try prepareError("studio.batches.set_priorities", ["batches": missing])
                == "refonte.studio.batches.set_priorities: missing required argument 'batches[1].name' (string)"
        )
    }

    @Test func constraints() throws {
        #expect(
            try prepareError("quality.attempts.list", ["limit": 5])
                == "refonte.quality.attempts.list: at least one of the arguments 'quality_task_ids', 'labeler_emails' is required"
        )
        #expect(
            try prepareError(
                "projects.update_pipeline_config",
                ["project": "p", "pipeline": "standard_task", "consensus_attempts": 3]
            )
                == #"refonte.projects.update_pipeline_config: argument 'consensus_attempts' is only allowed when 'pipeline' is "consensus_task" (got "standard_task")"#
        )
    }

    @Test func emptyPathSegment() throws {
        #expect(
            try prepareError("projects.get", ["project": ""])
                == #"refonte.projects.get: argument 'project' must be a non-empty string (got "")"#
        )
    }

    @Test func errorCarriesItsParts() throws {
        let operation = try op("teams.invite")
        do {
            _ = try operation.prepare(["emails": emails, "role": "admin"])
            Issue.record("accepted")
        } catch {
            #expect(error.operationID == "teams.invite")
            #expect(error.field == "role")
            #expect(error.expected == "one of labeler, member, manager")
            #expect(error.got == #""admin""#)
            #expect(error.kind == .invalidValue)
        }
    }
}

@Suite struct PrepareRequestTests {
    @Test func renamesRoleAndSortsBodyKeys() throws {
        let request = try op("teams.invite").prepare([
            "role": "labeler", "emails": .array(["b@x.io", "a@x.io"]),
        ])
        #expect(request.method == .post)
        #expect(request.path == "/teams/invite")
        #expect(bodyText(request) == #"{"emails":["b@x.io","a@x.io"],"team_role":"labeler"}"#)
        #expect(!request.idempotent)
    }

    @Test func pathNamesAreOneSegment() throws {
        let request = try op("studio.groups.update").prepare([
            "project": "My Project/2", "group": "g ü", "add_emails": .array(["a@x"]),
        ])
        #expect(request.path == "/studio/projects/My%20Project%2F2/groups/g%20%C3%BC")
        #expect(request.method == .put)
        #expect(bodyText(request) == #"{"add_emails":["a@x"]}"#)
        #expect(request.idempotent)
        let dots = try op("projects.get").prepare(["project": ".."])
        #expect(dots.path == "/projects/%2E%2E")
    }

    @Test func queryArraysRepeatAndBooleansAreWords() throws {
        let request = try op("tasks.list").prepare([
            "tags": .array(["a b", "c"]), "limited_response": true, "project": "p&q", "limit": 10,
        ])
        #expect(
            request.query == [
                .init(name: "project", value: "p&q"), .init(name: "tags", value: "a b"),
                .init(name: "tags", value: "c"), .init(name: "limited_response", value: "true"),
                .init(name: "limit", value: "10"),
            ]
        )
        #expect(
            RequestURL.target(basePath: "", request: request)
                == "/tasks?project=p%26q&tags=a%20b&tags=c&limited_response=true&limit=10"
        )
        #expect(request.body == nil)
        #expect(request.idempotent)
    }

    @Test func nullMeansAbsent() throws {
        let request = try op("batches.create").prepare(["project": "p", "name": "b", "callback": .null])
        #expect(bodyText(request) == #"{"name":"b","project":"p"}"#)
    }

    @Test func freeFormFieldsPassThrough() throws {
        let request = try op("tasks.create").prepare([
            "type": "imageannotation", "project": "p", "geometries": .object(["box": .object([:])]),
            "unique_id": "u1", "count": 3,
        ])
        #expect(request.path == "/task/imageannotation")
        #expect(bodyText(request) == #"{"count":3,"geometries":{"box":{}},"project":"p","unique_id":"u1"}"#)
    }

    @Test func wholeBodyParameters() throws {
        let tags = try op("tasks.remove_tags").prepare(["task_id": "t1", "tags": .array(["x"])])
        #expect(tags.method == .delete && tags.path == "/task/t1/tags")
        #expect(bodyText(tags) == #"["x"]"#)
        let metadata = try op("tasks.set_metadata").prepare(["task_id": "t1", "metadata": .object(["n": 1])])
        #expect(bodyText(metadata) == #"{"n":1}"#)
        // An empty Lua table is an empty object as much as an empty array.
        let none = try op("tasks.set_tags").prepare(["task_id": "t1", "tags": .object([:])])
        #expect(bodyText(none) == "[]")
    }

    @Test func bodylessOperationsSendNoBody() throws {
        let request = try op("tasks.cancel").prepare(["task_id": "t1", "clear_unique_id": false])
        #expect(request.body == nil)
        #expect(request.query == [.init(name: "clear_unique_id", value: "false")])
        #expect(request.idempotent)
        let groups = try op("studio.groups.update").prepare(["project": "p", "group": "g"])
        #expect(bodyText(groups) == "{}")
    }
}
