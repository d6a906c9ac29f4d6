import Foundation
import HTTPTypes
import Hummingbird
import RefonteAPI
import Testing

@testable import RefonteSandbox

/// Every operation of the catalog, over HTTP: it has a route, a happy request answers 200 with
/// JSON, and a bad request is refused with the contract's error body naming what was wrong.
@Suite("Every catalog operation is served")
struct CatalogWalkTests {
    struct Call: Sendable {
        var method: HTTPRequest.Method
        var path: String
        var body: String?
        /// For bad calls: the status and a word the error must contain.
        var status: Int = 200
        var names: String = ""
    }

    /// `$PENDING`, `$SECOND_TASK`, `$COMPLETED`, `$MEMBER`, `$LABELER` and `$ALL_PENDING_BATCHES`
    /// stand for seeded rows, looked up before the walk.
    static let table: [String: (happy: Call, bad: Call)] = [
        "teams.list": (
            Call(method: .get, path: "/v1/teams"),
            Call(method: .get, path: "/v1/teams?bogus=1", status: 400, names: "bogus")
        ),
        "teams.invite": (
            Call(
                method: .post,
                path: "/v1/teams/invite",
                body: #"{"emails":["walk@example.com"],"team_role":"member"}"#
            ),
            Call(
                method: .post,
                path: "/v1/teams/invite",
                body: #"{"emails":["walk@example.com"],"team_role":"admin"}"#,
                status: 400,
                names: "team_role"
            )
        ),
        "teams.set_role": (
            Call(
                method: .post,
                path: "/v1/teams/set_role",
                body: #"{"emails":["$MEMBER"],"team_role":"manager"}"#
            ),
            Call(
                method: .post,
                path: "/v1/teams/set_role",
                body: #"{"emails":"$MEMBER","team_role":"manager"}"#,
                status: 400,
                names: "emails"
            )
        ),
        "studio.assignments.list": (
            Call(method: .get, path: "/v1/studio/assignments"),
            Call(method: .get, path: "/v1/studio/assignments?limit=2", status: 400, names: "limit")
        ),
        "studio.assignments.add": (
            Call(
                method: .post,
                path: "/v1/studio/assignments/add",
                body: #"{"emails":["$LABELER"],"projects":["Street Scenes"]}"#
            ),
            Call(
                method: .post,
                path: "/v1/studio/assignments/add",
                body: #"{"emails":["$LABELER"]}"#,
                status: 400,
                names: "projects"
            )
        ),
        "studio.assignments.remove": (
            Call(
                method: .post,
                path: "/v1/studio/assignments/remove",
                body: #"{"emails":["$LABELER"],"projects":["Invoice Fields"]}"#
            ),
            Call(
                method: .post,
                path: "/v1/studio/assignments/remove",
                body: #"{"projects":["Invoice Fields"]}"#,
                status: 400,
                names: "emails"
            )
        ),
        "studio.groups.list": (
            Call(method: .get, path: "/v1/studio/projects/Street%20Scenes/groups"),
            Call(method: .get, path: "/v1/studio/projects/No%20Such/groups", status: 404, names: "No Such")
        ),
        "studio.groups.create": (
            Call(
                method: .post,
                path: "/v1/studio/projects/Street%20Scenes/groups",
                body: #"{"name":"Walkers","emails":[]}"#
            ),
            Call(
                method: .post,
                path: "/v1/studio/projects/Street%20Scenes/groups",
                body: #"{"emails":[]}"#,
                status: 400,
                names: "name"
            )
        ),
        "studio.groups.update": (
            Call(
                method: .put,
                path: "/v1/studio/projects/Street%20Scenes/groups/Street%20Scenes%20Experts",
                body: #"{"remove_emails":["$LABELER"]}"#
            ),
            Call(
                method: .put,
                path: "/v1/studio/projects/Street%20Scenes/groups/Street%20Scenes%20Experts",
                body: #"{"add_emails":"nobody"}"#,
                status: 400,
                names: "add_emails"
            )
        ),
        "studio.batches.list": (
            Call(method: .get, path: "/v1/studio/batches"),
            Call(method: .get, path: "/v1/studio/batches?offset=1", status: 400, names: "offset")
        ),
        "studio.batches.set_groups": (
            Call(
                method: .put,
                path: "/v1/studio/batches/Street%20Scenes%20week%202",
                body: #"{"groups":["Street Scenes Reviewers"]}"#
            ),
            Call(
                method: .put,
                path: "/v1/studio/batches/Street%20Scenes%20week%202",
                body: #"{"groups":[1]}"#,
                status: 400,
                names: "groups"
            )
        ),
        "studio.batches.set_priorities": (
            Call(
                method: .post,
                path: "/v1/studio/batches/set_priorities",
                body: #"{"batches":$ALL_PENDING_BATCHES}"#
            ),
            Call(
                method: .post,
                path: "/v1/studio/batches/set_priorities",
                body: #"{"batches":[{"title":"x"}]}"#,
                status: 400,
                names: "batches"
            )
        ),
        "studio.batches.reset_priorities": (
            Call(method: .post, path: "/v1/studio/batches/reset_priorities"),
            Call(
                method: .post,
                path: "/v1/studio/batches/reset_priorities",
                body: #"{"order":1}"#,
                status: 400,
                names: "order"
            )
        ),
        "studio.projects.send_tasks_to_completed": (
            Call(
                method: .post,
                path: "/v1/studio/projects/Support%20Chats/send_tasks_to_completed",
                body: #"{"all_batches":true}"#
            ),
            Call(
                method: .post,
                path: "/v1/studio/projects/Support%20Chats/send_tasks_to_completed",
                body: "{}",
                status: 400,
                names: "all_batches"
            )
        ),
        "projects.update_pipeline_config": (
            Call(
                method: .post,
                path: "/v1/projects/Street%20Scenes/updatePipelineConfig",
                body: #"{"pipeline":"consensus_task","consensus_attempts":3}"#
            ),
            Call(
                method: .post,
                path: "/v1/projects/Street%20Scenes/updatePipelineConfig",
                body: #"{"pipeline":"standard_task","consensus_attempts":3}"#,
                status: 400,
                names: "consensus_attempts"
            )
        ),
        "quality.attempts.list": (
            Call(method: .get, path: "/v1/quality/labelers?labeler_emails=$LABELER&limit=5"),
            Call(method: .get, path: "/v1/quality/labelers?limit=5", status: 400, names: "labeler_emails")
        ),
        "projects.create": (
            Call(
                method: .post,
                path: "/v1/projects",
                body: #"{"type":"imageannotation","name":"Walk/Project"}"#
            ),
            Call(
                method: .post,
                path: "/v1/projects",
                body: #"{"type":"drawing","name":"x"}"#,
                status: 400,
                names: "type"
            )
        ),
        "projects.list": (
            Call(method: .get, path: "/v1/projects?archived=False"),
            Call(method: .get, path: "/v1/projects?archived=maybe", status: 400, names: "archived")
        ),
        "projects.get": (
            Call(method: .get, path: "/v1/projects/Product%20Photos%2FEU"),
            Call(method: .get, path: "/v1/projects/No%20Such", status: 404, names: "No Such")
        ),
        "projects.set_params": (
            Call(
                method: .post,
                path: "/v1/projects/API%20Transcripts/setParams",
                body: #"{"instruction":"Transcribe verbatim.","speakers":2}"#
            ),
            Call(
                method: .post,
                path: "/v1/projects/API%20Transcripts/setParams",
                body: #"{"patch":"yes"}"#,
                status: 400,
                names: "patch"
            )
        ),
        "batches.create": (
            Call(
                method: .post,
                path: "/v1/batches",
                body: #"{"project":"API Transcripts","name":"walk batch"}"#
            ),
            Call(
                method: .post,
                path: "/v1/batches",
                body: #"{"project":"API Transcripts"}"#,
                status: 400,
                names: "name"
            )
        ),
        "batches.get": (
            Call(method: .get, path: "/v1/batches/API%20Transcripts%20batch%202"),
            Call(method: .get, path: "/v1/batches/No%20Such", status: 404, names: "No Such")
        ),
        "batches.status": (
            Call(method: .get, path: "/v1/batches/API%20Transcripts%20batch%202/status"),
            Call(method: .get, path: "/v1/batches/No%20Such/status", status: 404, names: "No Such")
        ),
        "batches.list": (
            Call(method: .get, path: "/v1/batches?limit=10&offset=0&exclude_archived=True"),
            Call(method: .get, path: "/v1/batches?limit=0", status: 400, names: "limit")
        ),
        "batches.finalize": (
            Call(method: .post, path: "/v1/batches/API%20Transcripts%20batch%202/finalize"),
            Call(method: .post, path: "/v1/batches/No%20Such/finalize", status: 404, names: "No Such")
        ),
        "batches.set_metadata": (
            Call(
                method: .post,
                path: "/v1/batches/API%20Transcripts%20batch%202/setMetadata",
                body: #"{"owner":"walk"}"#
            ),
            Call(
                method: .post,
                path: "/v1/batches/API%20Transcripts%20batch%202/setMetadata",
                body: "[1]",
                status: 400,
                names: "object"
            )
        ),
        "tasks.create": (
            Call(
                method: .post,
                path: "/v1/task/imageannotation",
                body: #"{"project":"Street Scenes","instruction":"Box the cars.","geometries":{"box":{}}}"#
            ),
            Call(
                method: .post,
                path: "/v1/task/drawing",
                body: #"{"project":"Street Scenes"}"#,
                status: 400,
                names: "type"
            )
        ),
        "tasks.get": (
            Call(method: .get, path: "/v1/task/$PENDING"),
            Call(method: .get, path: "/v1/task/no-such-task", status: 404, names: "no-such-task")
        ),
        "tasks.list": (
            Call(method: .get, path: "/v1/tasks?status=pending&limit=5&tags=urgent&tags=eu"),
            Call(method: .get, path: "/v1/tasks?status=done", status: 400, names: "status")
        ),
        "tasks.cancel": (
            Call(method: .post, path: "/v1/task/$SECOND_TASK/cancel?clear_unique_id=true"),
            Call(method: .post, path: "/v1/task/$COMPLETED/cancel", status: 400, names: "pending")
        ),
        "tasks.audit": (
            Call(
                method: .post,
                path: "/v1/task/$COMPLETED/audit",
                body: #"{"accepted":true,"comments":"fine"}"#
            ),
            Call(
                method: .post,
                path: "/v1/task/$COMPLETED/audit",
                body: #"{"accepted":"yes"}"#,
                status: 400,
                names: "accepted"
            )
        ),
        "tasks.set_metadata": (
            Call(method: .post, path: "/v1/task/$PENDING/setMetadata", body: #"{"reviewed":false}"#),
            Call(
                method: .post,
                path: "/v1/task/$PENDING/setMetadata",
                body: #""text""#,
                status: 400,
                names: "object"
            )
        ),
        "tasks.set_tags": (
            Call(method: .post, path: "/v1/task/$PENDING/tags", body: #"["a","b"]"#),
            Call(
                method: .post,
                path: "/v1/task/$PENDING/tags",
                body: #"{"tags":["a"]}"#,
                status: 400,
                names: "array"
            )
        ),
        "tasks.add_tags": (
            Call(method: .put, path: "/v1/task/$PENDING/tags", body: #"["c"]"#),
            Call(method: .put, path: "/v1/task/$PENDING/tags", body: "[1]", status: 400, names: "string")
        ),
        "tasks.remove_tags": (
            Call(method: .delete, path: "/v1/task/$PENDING/tags", body: #"["a"]"#),
            Call(
                method: .delete,
                path: "/v1/task/$PENDING/tags",
                body: "{not json",
                status: 400,
                names: "JSON"
            )
        ),
        "tasks.set_unique_id": (
            Call(method: .post, path: "/v1/task/$PENDING/unique_id", body: #"{"unique_id":"walk-1"}"#),
            Call(
                method: .post,
                path: "/v1/task/$PENDING/unique_id",
                body: "{}",
                status: 400,
                names: "unique_id"
            )
        ),
        "tasks.clear_unique_id": (
            Call(method: .delete, path: "/v1/task/$PENDING/unique_id"),
            Call(method: .delete, path: "/v1/task/no-such-task/unique_id", status: 404, names: "no-such-task")
        ),
        "files.import": (
            Call(
                method: .post,
                path: "/v1/files/import",
                body: #"{"file_url":"https://cdn.example.com/a/scan.pdf"}"#
            ),
            Call(
                method: .post,
                path: "/v1/files/import",
                body: #"{"file_url":5}"#,
                status: 400,
                names: "file_url"
            )
        ),
    ]

    @Test func everyOperationHasAnEntryAndARoute() async throws {
        let ids = Set(Catalog.operations.map(\.id))
        let missing = ids.subtracting(Self.table.keys)
        #expect(missing.isEmpty, "operations without a happy/bad entry: \(missing.sorted())")
        #expect(Set(Self.table.keys).subtracting(ids).isEmpty)
        let fixture = try await HTTPFixture()
        defer { fixture.server.removeTemporaryFiles() }
        let routes = Set(fixture.server.makeRouter().routes.map { "\($0.method) \($0.path)" })
        for operation in Catalog.operations {
            for (method, path) in [(operation.method, operation.path)]
                + operation.aliases.map({ ($0.method, $0.path) })
            {
                let template = RouteTemplate(path)
                #expect(
                    routes.contains("\(method.rawValue) /v1\(template.registered)"),
                    "\(operation.id): no route for \(method.rawValue) \(path)"
                )
            }
            // The happy request really targets this operation's method and path.
            let happy = try #require(Self.table[operation.id]).happy
            #expect(happy.method.rawValue == operation.method.rawValue, "\(operation.id)")
            #expect(
                Self.matches(template: operation.path, path: happy.path),
                "\(operation.id): \(happy.path)"
            )
        }
    }

    static func matches(template: String, path: String) -> Bool {
        let rawPath = path.split(separator: "?").first.map(String.init) ?? path
        let a = ("/v1" + template).split(separator: "/")
        let b = rawPath.split(separator: "/")
        return a.count == b.count && zip(a, b).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }

    @Test func happyAndBadRequestsOverHTTP() async throws {
        let fixture = try await HTTPFixture()
        let store = fixture.server.store
        let tenant = try #require(try await store.tenant(forKey: HTTPFixture.key)).id
        let pending = try store.strings(
            "SELECT task_id FROM task WHERE tenant_id = \(tenant) AND status = 'pending' ORDER BY seq LIMIT 2"
        )
        let substitutions: [String: String] = [
            "$SECOND_TASK": pending[1],
            "$PENDING": pending[0],
            "$COMPLETED": try store.strings(
                "SELECT task_id FROM task WHERE tenant_id = \(tenant) AND status = 'completed' LIMIT 1"
            )[0],
            "$MEMBER": try store.strings(
                "SELECT email FROM teammate WHERE tenant_id = \(tenant) AND role = 'member' LIMIT 1"
            )[0],
            "$LABELER": try store.strings(
                """
                SELECT email FROM teammate WHERE tenant_id = \(tenant) AND role = 'labeler' AND id IN
                (SELECT teammate_id FROM assignment a JOIN project p ON p.id = a.project_id WHERE p.name = 'Invoice Fields')
                LIMIT 1
                """
            )[0],
            "$ALL_PENDING_BATCHES": try "["
                + store.strings(
                    """
                    SELECT b.name FROM batch b JOIN project p ON p.id = b.project_id
                    WHERE b.tenant_id = \(tenant) AND p.studio = 1 AND b.status != 'completed' ORDER BY b.id DESC
                    """
                ).map { #"{"name":"\#($0)"}"# }.joined(separator: ",") + "]",
        ]
        let fill: @Sendable (String) -> String = { text in
            substitutions.reduce(text) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
        }
        // The shape check is not vacuous: a wrong answer fails it.
        let teamsList = try #require(Catalog.operation(id: "teams.list"))
        #expect(
            !teamsList.response.conformanceProblems(of: .array([.object(["email": .integer(1)])])).isEmpty
        )
        try await fixture.run { client in
            for operation in Catalog.operations {
                let (happy, bad) = try #require(Self.table[operation.id])
                let badReply = try await client.call(bad.method, fill(bad.path), body: bad.body.map(fill))
                #expect(badReply.status == bad.status, "\(operation.id) bad: \(badReply.text)")
                let error = try #require(badReply.json as? [String: Any], "\(operation.id): \(badReply.text)")
                #expect(error["status_code"] as? Int == bad.status, "\(operation.id)")
                #expect(
                    (error["error"] as? String)?.contains(bad.names) == true,
                    "\(operation.id): error should name \(bad.names): \(badReply.text)"
                )
                let reply = try await client.call(happy.method, fill(happy.path), body: happy.body.map(fill))
                #expect(reply.status == 200, "\(operation.id) happy: \(reply.text)")
                #expect(reply.headers[.contentType] == "application/json", "\(operation.id)")
                // The answer has the shape that the catalog (and so the OpenAPI document) promises.
                let parsed = try JSONValue.parse(reply.body)
                let problems = operation.response.conformanceProblems(of: parsed)
                #expect(problems.isEmpty, "\(operation.id): \(problems.prefix(5))")
            }
        }
    }
}
