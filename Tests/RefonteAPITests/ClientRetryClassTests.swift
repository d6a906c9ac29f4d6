import Foundation
import Testing

@testable import RefonteAPI

/// The retry classes the catalog declares, against a scripted server: writes that are safe to
/// repeat by key or after a look are repeated, and a 409 or a read settles what an ambiguous
/// attempt did.
extension ClientRetryTests {
    static let task =
        #"{"task_id":"t_1","unique_id":"u-1","project":"P","type":"imageannotation","status":"pending"}"#

    static func createTask(uniqueID: String? = "u-1") -> PreparedRequest {
        var body = #"{"instruction":"x","project":"P""#
        if let uniqueID { body += #","unique_id":"\#(uniqueID)""# }
        return .post("/task/imageannotation", body: body + "}", id: "tasks.create")
    }

    @Test func aDuplicateAfterAnAmbiguousAttemptIsAnsweredWithTheTaskItMade() async throws {
        let server = ScriptedServer([
            .init(status: 500),
            .init(status: 409, body: #"{"status_code":409,"error":"duplicate unique_id"}"#),
            .init(
                status: 200,
                body:
                    #"{"docs":[\#(Self.task)],"total":1,"limit":100,"offset":0,"has_more":false,"next_token":null}"#
            ),
        ])
        let response = try await send(Self.createTask(), to: server).get()
        #expect(try JSONValue.parse(response.body) == JSONValue.parse(Self.task))
        let sent = server.received.map { "\($0.method) \($0.uri)" }
        #expect(
            sent == [
                "POST /v1/task/imageannotation", "POST /v1/task/imageannotation",
                "GET /v1/tasks?unique_id=u-1",
            ]
        )
        #expect(logs.text.contains("refonte.tasks.create had taken effect before its answer was lost"))
    }

    @Test func aDuplicateOnTheFirstAttemptIsTheScriptsOwn() async throws {
        let server = ScriptedServer([
            .init(status: 409, body: #"{"status_code":409,"error":"duplicate unique_id"}"#)
        ])
        let result = try await send(Self.createTask(), to: server)
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == "duplicate")
        #expect(server.received.count == 1)
    }

    /// A 429 or a refused connection surely did nothing: a 409 after them is not ours.
    @Test func aDuplicateAfterAThrottleIsNotResolved() async throws {
        let server = ScriptedServer([
            .init(status: 429, retryAfter: "1"),
            .init(status: 409, body: #"{"status_code":409,"error":"duplicate unique_id"}"#),
        ])
        let result = try await send(Self.createTask(), to: server)
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == "duplicate")
        #expect(server.received.map(\.method) == ["POST", "POST"])
    }

    /// Without a key nothing tells a repeat from a second task: not sent again.
    @Test func aTaskWithoutAUniqueIDIsNeverRepeated() async throws {
        let server = ScriptedServer([.init(status: 500), .init(status: 200, body: Self.task)])
        let result = try await send(Self.createTask(uniqueID: nil), to: server)
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.status == 500)
        #expect(server.received.count == 1)
    }

    /// The found task must be the one that was sent: another project under the same key is
    /// not ours, and the 409 stands.
    @Test func aFoundTaskThatDiffersIsNotTakenForOurs() async throws {
        let other = Self.task.replacingOccurrences(of: #""project":"P""#, with: #""project":"Q""#)
        let server = ScriptedServer([
            .init(status: 503),
            .init(status: 409, body: #"{"status_code":409,"error":"duplicate unique_id"}"#),
            .init(
                status: 200,
                body:
                    #"{"docs":[\#(other)],"total":1,"limit":100,"offset":0,"has_more":false,"next_token":null}"#
            ),
        ])
        let result = try await send(Self.createTask(), to: server)
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == "duplicate")
        #expect(server.received.count == 3)
    }

    @Test func aGroupCreatedBeforeItsAnswerWasLostIsFoundByName() async throws {
        let group =
            #"{"id":"g1","name":"Night","numWorkers":1,"isSingleton":false,"workers":[{"id":"w","email":"a@x.com"}]}"#
        let server = ScriptedServer([
            .init(status: 502),
            .init(status: 409, body: #"{"status_code":409,"error":"duplicate group"}"#),
            .init(
                status: 200,
                body: #"[{"id":"g0","name":"Day","numWorkers":0,"isSingleton":false,"workers":[]},\#(group)]"#
            ),
        ])
        let request = PreparedRequest.post(
            "/studio/projects/Street%20Scenes/groups",
            body: #"{"emails":["a@x.com"],"name":"Night"}"#,
            id: "studio.groups.create"
        )
        let response = try await send(request, to: server).get()
        #expect(try JSONValue.parse(response.body) == JSONValue.parse(group))
        #expect(
            server.received.last.map { "\($0.method) \($0.uri)" }
                == "GET /v1/studio/projects/Street%20Scenes/groups"
        )
    }

    /// An invite is `checked`: after a lost answer the team is read, and the invite is not sent
    /// again (which would send a second e-mail) when everyone is on it.
    @Test func anInviteThatTookEffectIsNotSentAgain() async throws {
        let team = #"[{"email":"Ana@Example.com","role":"invited","isStudioLabeler":false}]"#
        let server = ScriptedServer([.init(status: 500), .init(status: 200, body: team)])
        let request = PreparedRequest.post(
            "/teams/invite",
            body: #"{"emails":["ana@example.com"],"team_role":"member"}"#
        )
        let response = try await send(request, to: server).get()
        #expect(response.body == Array(team.utf8))
        #expect(
            server.received.map { "\($0.method) \($0.uri)" } == ["POST /v1/teams/invite", "GET /v1/teams"]
        )
    }

    @Test func anInviteThatDidNotTakeEffectIsSentAgain() async throws {
        let server = ScriptedServer([
            .init(status: 500),
            .init(
                status: 200,
                body: #"[{"email":"bo@example.com","role":"member","isStudioLabeler":false}]"#
            ),
            .init(status: 200, body: "[]"),
        ])
        let request = PreparedRequest.post(
            "/teams/invite",
            body: #"{"emails":["ana@example.com"],"team_role":"member"}"#
        )
        let response = try await send(request, to: server).get()
        #expect(response.attempts == 2)
        #expect(server.received.map(\.method) == ["POST", "GET", "POST"])
    }

    /// Every retry says which attempt failed, how long it waits, and who chose the wait.
    @Test func retriesAreLoggedWithTheirDelayAndItsSource() async throws {
        let server = ScriptedServer([
            .init(status: 503, retryAfter: "2"),
            .init(status: 500),
            .init(status: 200, body: "[]"),
        ])
        _ = try await send(.get("/teams"), to: server).get()
        let retries = logs.all.filter { $0.contains("retrying refonte.teams.list") }
        #expect(retries.count == 2)
        #expect(retries.first?.contains("attempt=1") == true)
        #expect(retries.first?.contains("delay=2s") == true)
        #expect(retries.first?.contains("delay_from=retry-after") == true)
        #expect(retries.last?.contains("attempt=2") == true)
        #expect(retries.last?.contains("delay_from=backoff") == true)
        // A backoff delay is shown to the millisecond, not as a long fraction.
        let delay = try #require(retries.last?.split(separator: " ").first { $0.hasPrefix("delay=") })
        #expect(delay.count <= "delay=1.234s".count)
    }

    /// Successes refund the budget: one token is enough for any number of calls that each
    /// need one retry.
    @Test func successesRefundTheRetryBudget() async throws {
        let server = ScriptedServer([
            .init(status: 500), .init(status: 200, body: "[]"),
            .init(status: 500), .init(status: 200, body: "[]"),
            .init(status: 500), .init(status: 200, body: "[]"),
        ])
        var result: [Int] = []
        try await server.run { url in
            let configuration = try ClientHTTPTests.configuration(url, retry: RetryPolicy(budget: 1))
            try await APIClient.withClient(
                configuration: configuration,
                clock: clock.clock,
                logger: logs.logger()
            ) {
                client in
                for _ in 0..<3 { result.append(try await client.send(.get("/teams")).attempts) }
                #expect(client.statistics.snapshot().retries == 3)
            }
        }
        #expect(result == [2, 2, 2])
    }
}
