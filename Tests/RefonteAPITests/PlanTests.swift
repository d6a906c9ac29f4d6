import Foundation
import Logging
import Synchronization
import Testing

@testable import RefonteAPI

/// A stand-in for the API behind a session: it answers reads from a table and counts writes.
final class FakeAPI: Sendable {
    private let state = Mutex<(answers: [String: String], sent: [PreparedRequest])>(([:], []))

    init(_ answers: [String: String] = [:]) {
        state.withLock { $0.answers = answers }
    }

    var sent: [PreparedRequest] { state.withLock { $0.sent } }

    func set(_ display: String, _ body: String) { state.withLock { $0.answers[display] = body } }

    func send(_ request: PreparedRequest) -> Result<APIResponse, APIError> {
        let body = state.withLock { state in
            state.sent.append(request)
            return state.answers[request.display]
        }
        guard let body else {
            if request.method == .get {
                return .failure(
                    APIError(
                        operationID: request.operationID,
                        status: 404,
                        code: "not_found",
                        message: "no \(request.path)"
                    )
                )
            }
            // A write answers with a task of its own id, for placeholders to resolve against.
            return .success(
                APIResponse(
                    status: 200,
                    headers: [:],
                    body: Array(#"{"task_id":"t-\#(sent.count)"}"#.utf8),
                    attempts: 1
                )
            )
        }
        return .success(APIResponse(status: 200, headers: [:], body: Array(body.utf8), attempts: 1))
    }
}

@Suite struct PlanTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    func prepare(_ id: String, _ arguments: [String: JSONValue]) throws -> PreparedRequest {
        try #require(Catalog.operation(id: id)).prepare(arguments)
    }

    func session(_ mode: RunSession.Mode, audit: AuditLog? = nil, planID: String? = nil) -> RunSession {
        RunSession(
            mode: mode,
            context: RunContext(
                script: ScriptIdentity(path: "s.lua", source: Array("print(1)".utf8), arguments: ["a"]),
                profile: "default",
                target: .account(baseURL: "https://api.example.com/v1"),
                planID: planID
            ),
            audit: audit,
            logger: logger
        )
    }

    /// A dry run sends its reads and none of its writes; the plan has the writes in order,
    /// with the derived key, and a fingerprint per read.
    @Test func aDryRunSendsNoWrite() async throws {
        let api = FakeAPI(["GET /teams": #"[{"email":"a@x.com"}]"#])
        let directory = try TempDirectory()
        let audit = AuditLog(path: directory.path + "/audit.jsonl")
        let dry = session(.dryRun, audit: audit)
        _ = await dry.perform(try prepare("teams.list", [:])) { api.send($0) }
        let invite = await dry.perform(
            try prepare("teams.invite", ["emails": ["b@x.com"], "role": "member"])
        ) { api.send($0) }
        let task = await dry.perform(try prepare("tasks.create", ["type": "chat", "project": "P"])) {
            api.send($0)
        }
        #expect(api.sent.map(\.display) == ["GET /teams"])
        #expect(invite.planned && task.planned)
        let answer = try JSONValue.parse(try task.result.get().body)
        #expect(answer.value(at: ["task_id"])?.stringValue?.hasPrefix(dry.placeholderPrefix) == true)

        let plan = try #require(dry.plan())
        #expect(plan.writes.map(\.request.operationID) == ["teams.invite", "tasks.create"])
        #expect(plan.writes.map(\.index) == [1, 2])
        let key = try #require(plan.writes[1].request.bodyValue?.value(at: ["unique_id"])?.stringValue)
        #expect(key.hasPrefix("refonte-"))
        #expect(answer.value(at: ["unique_id"]) == .string(key))
        #expect(plan.reads.count == 1)
        #expect(plan.reads[0].fingerprint == SHA256Digest.hex(Array(#"[{"email":"a@x.com"}]"#.utf8)))
        #expect(plan.id == dry.context.planID)
        #expect(dry.writes.planned == 2 && dry.writes.made == 0)

        // Each planned write is in the audit log, as planned, with the plan's id.
        let entries = try AuditEntry.all(in: audit.path)
        #expect(entries.map { $0.string("outcome") } == ["planned", "planned"])
        #expect(entries.allSatisfy { $0.dryRun && $0.string("plan_id") == plan.id })
        #expect(entries[1].string("unique_id") == key)
        #expect(try AuditVerifier.verify(path: audit.path).isIntact)
    }

    @Test func planFilesRoundTrip() async throws {
        let dry = session(.dryRun)
        let api = FakeAPI(["GET /teams": "[]"])
        _ = await dry.perform(try prepare("teams.list", [:])) { api.send($0) }
        let created = await dry.perform(try prepare("tasks.create", ["type": "chat", "project": "P b/c"])) {
            api.send($0)
        }
        let id = try JSONValue.parse(try created.result.get().body).value(at: ["task_id"])!
        _ = await dry.perform(try prepare("tasks.set_metadata", ["task_id": id, "metadata": ["k": 1]])) {
            api.send($0)
        }
        let plan = try #require(dry.plan())
        let decoded = try Plan.decode(plan.encoded())
        #expect(decoded == plan)
        #expect(plan.text.contains("2. POST /task/(known after apply: write 1 task_id)/setMetadata"))
    }

    @Test(arguments: [
        (
            #"{"format":"refonte-plan","version":2}"#,
            "field version: this refonte reads plans of version 1, and this one is version 2"
        ),
        (#"{"format":"other"}"#, #"field format: expected "refonte-plan", got "other": not a refonte plan"#),
        ("[1]", "it is not a JSON object"),
        ("{", "it is not JSON"),
    ])
    func malformedPlansNameTheField(text: String, message: String) {
        #expect {
            try Plan.decode(Array(text.utf8))
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }

    @Test func aPlanWithABadWriteNamesIt() async throws {
        let dry = session(.dryRun)
        _ = await dry.perform(try prepare("teams.invite", ["emails": ["b@x.com"], "role": "member"])) { _ in
            .failure(APIError(operationID: "", status: nil, code: "", message: ""))
        }
        var json = try JSONValue.parse(try #require(dry.plan()).encoded())
        guard case .object(var root) = json, case .array(var writes)? = root["writes"],
            case .object(var write) = writes[0]
        else { return }
        write["method"] = "PATCH"
        writes[0] = .object(write)
        root["writes"] = .array(writes)
        json = .object(root)
        #expect {
            try Plan.decode(json.encoded())
        } throws: { error in
            "\(error)" == #"field writes[0].method: expected POST for teams.invite, got "PATCH""#
        }
    }

    @Test func pathsMustFitTheirOperation() {
        #expect(Plan.path("/task/abc/cancel", fits: "/task/{task_id}/cancel"))
        #expect(!Plan.path("/task//cancel", fits: "/task/{task_id}/cancel"))
        #expect(!Plan.path("/teams/set_role", fits: "/task/{task_id}/cancel"))
        #expect(!Plan.path("/task/abc/cancel/x", fits: "/task/{task_id}/cancel"))
    }

    /// Apply repeats the reads first; an answer that changed is named and nothing is written.
    @Test func driftIsFoundBeforeAnyWrite() async throws {
        let api = FakeAPI(["GET /teams": #"[{"email":"a@x.com","role":"member"}]"#])
        let dry = session(.dryRun)
        _ = await dry.perform(try prepare("teams.list", [:])) { api.send($0) }
        _ = await dry.perform(try prepare("studio.groups.list", ["project": "Missing"])) { api.send($0) }
        _ = await dry.perform(try prepare("teams.set_role", ["emails": ["a@x.com"], "role": "manager"])) {
            api.send($0)
        }
        let plan = try #require(dry.plan())
        #expect(plan.reads.count == 2)
        #expect(plan.reads[1].status == 404)

        let applier = PlanApplier(plan: plan, session: session(.live, planID: plan.id))
        #expect(await applier.drift { api.send($0) }.isEmpty)
        api.set("GET /teams", #"[{"email":"a@x.com","role":"labeler"}]"#)
        let drifted = await applier.drift { api.send($0) }
        #expect(drifted.map(\.read.display) == ["GET /teams"])
        #expect(!api.sent.contains { $0.method != .get })
    }

    /// Writes go out in order, with placeholders filled from earlier answers.
    @Test func applyFillsPlaceholdersFromEarlierAnswers() async throws {
        let dry = session(.dryRun)
        let api = FakeAPI()
        let first = await dry.perform(try prepare("tasks.create", ["type": "chat", "project": "P"])) {
            api.send($0)
        }
        let id = try JSONValue.parse(try first.result.get().body).value(at: ["task_id"])!
        _ = await dry.perform(try prepare("tasks.set_tags", ["task_id": id, "tags": [id, "x"]])) {
            api.send($0)
        }
        _ = await dry.perform(try prepare("tasks.cancel", ["task_id": id])) { api.send($0) }
        let plan = try #require(dry.plan())
        #expect(plan.problems.isEmpty)

        let directory = try TempDirectory()
        let audit = AuditLog(path: directory.path + "/audit.jsonl")
        let live = session(.live, audit: audit, planID: plan.id)
        var made: [Int] = []
        let outcome = await PlanApplier(plan: plan, session: live).apply(send: { api.send($0) }) { progress in
            if case .made(let write, _) = progress { made.append(write.index) }
        }
        #expect(outcome.isComplete)
        #expect(made == [1, 2, 3])
        #expect(
            api.sent.map(\.display) == ["POST /task/chat", "POST /task/t-1/tags", "POST /task/t-1/cancel"]
        )
        #expect(api.sent[1].bodyValue == ["t-1", "x"])
        let entries = try AuditEntry.all(in: audit.path)
        #expect(entries.map { $0.integer("plan_write") } == [1, 2, 3])
        #expect(
            entries.allSatisfy {
                $0.string("plan_id") == plan.id && !$0.dryRun && $0.string("outcome") == "applied"
            }
        )
    }

    @Test func applyStopsAtTheFirstFailureAndSaysWhatWasMade() async throws {
        let dry = session(.dryRun)
        for email in ["a", "b", "c"] {
            _ = await dry.perform(
                try prepare("teams.set_role", ["emails": [.string("\(email)@x.com")], "role": "member"])
            ) {
                _ in .failure(APIError(operationID: "", status: nil, code: "", message: ""))
            }
        }
        let plan = try #require(dry.plan())
        let calls = Mutex(0)
        let outcome = await PlanApplier(plan: plan, session: session(.live, planID: plan.id)).apply(send: {
            request in
            let n = calls.withLock {
                $0 += 1; return $0
            }
            if n == 2 {
                return .failure(
                    APIError(operationID: request.operationID, status: 403, code: "forbidden", message: "no")
                )
            }
            return .success(APIResponse(status: 200, headers: [:], body: Array("[]".utf8), attempts: 1))
        }) { _ in }
        #expect(outcome.made.map(\.index) == [1])
        #expect(outcome.failed?.index == 2)
        #expect(outcome.notMade.map(\.index) == [3])
        #expect(outcome.failure?.contains("403 forbidden") == true)
    }

    /// A placeholder turned into text cannot be filled in: the plan says so.
    @Test func aPlaceholderTurnedIntoTextIsAProblem() async throws {
        let dry = session(.dryRun)
        _ = await dry.perform(try prepare("tasks.cancel", ["task_id": .string(Placeholder.text)])) { _ in
            .failure(APIError(operationID: "", status: nil, code: "", message: ""))
        }
        let plan = try #require(dry.plan())
        #expect(plan.problems.count == 1)
        #expect(
            plan.problems[0].hasPrefix("write 1 (tasks.cancel POST /task/%28known%20after%20apply%29/cancel)")
        )
    }

    /// A live run records every write, made or failed, with its status and attempts; the key
    /// never shows.
    @Test func aLiveRunAuditsEveryWrite() async throws {
        let directory = try TempDirectory()
        let audit = AuditLog(path: directory.path + "/audit.jsonl")
        let key = try APIKey("test_secretsecretsecret")
        let live = RunSession(
            context: RunContext(target: .account(baseURL: "https://x/v1")),
            audit: audit,
            redacting: key,
            logger: logger
        )
        let api = FakeAPI()
        _ = await live.perform(
            try prepare("tasks.create", ["type": "chat", "project": "P", "note": "test_secretsecretsecret"])
        ) {
            api.send($0)
        }
        _ = await live.perform(try prepare("teams.list", [:])) { api.send($0) }
        _ = await live.perform(try prepare("tasks.cancel", ["task_id": "t"])) { request in
            .failure(
                APIError(
                    operationID: request.operationID,
                    status: 400,
                    code: "bad_request",
                    message: "not pending",
                    attempts: 1
                )
            )
        }
        let entries = try AuditEntry.all(in: audit.path)
        #expect(entries.map { $0.string("operation") } == ["tasks.create", "tasks.cancel"])
        #expect(entries.map { $0.string("outcome") } == ["applied", "failed"])
        #expect(entries.map { $0.integer("status") } == [200, 400])
        #expect(entries[1].string("error") == "bad_request: not pending")
        #expect(entries[0].string("unique_id")?.hasPrefix("refonte-") == true)
        #expect(!(try String(contentsOfFile: audit.path, encoding: .utf8)).contains("secretsecret"))
        #expect(live.writes == RunSession.Writes(made: 1, failed: 1, planned: 0))
    }

    @Test func aWriteIsNotSentWhenTheAuditLogCannotBeWritten() async throws {
        let directory = try TempDirectory()
        try directory.write("file", "x")
        let live = session(.live, audit: AuditLog(path: directory.path + "/file/audit.jsonl"))
        let api = FakeAPI()
        let answer = await live.perform(try prepare("tasks.cancel", ["task_id": "t"])) { api.send($0) }
        guard case .failure(let error) = answer.result else {
            Issue.record("expected a refusal")
            return
        }
        #expect(error.code == "audit_unavailable")
        #expect(error.message.contains("--audit-log"))
        #expect(api.sent.isEmpty)
    }
}
