import Foundation
import HTTPTypes
import RefonteAPI
import Testing

@testable import RefonteSandbox

@Suite("Cross-cutting rules over HTTP")
struct ServerBehaviourTests {
    @Test func missingOrUnknownKeysGet401() async throws {
        try await HTTPFixture().run { client in
            let none = try await client.call(.get, "/v1/teams", key: nil)
            #expect(none.status == 401)
            #expect((none.json as? [String: Any])?["status_code"] as? Int == 401)
            let unknown = try await client.call(.get, "/v1/teams", key: "test_nobody")
            #expect(unknown.status == 401)
            #expect(unknown.errorMessage?.contains("test_nobody") == false)
        }
    }

    @Test func unknownRoutesGetAJSON404() async throws {
        try await HTTPFixture().run { client in
            for (method, path) in [
                (HTTPRequest.Method.get, "/v1/nothing"), (.patch, "/v1/teams"), (.get, "/"),
            ] {
                let reply = try await client.call(method, path)
                #expect(reply.status == 404, "\(method) \(path)")
                #expect((reply.json as? [String: Any])?["status_code"] as? Int == 404)
                #expect(reply.headers[.contentType] == "application/json")
            }
        }
    }

    @Test func bodiesOverOneMebibyteGet413() async throws {
        try await HTTPFixture().run { client in
            let big = #"{"owner":""# + String(repeating: "x", count: 1 << 20) + #""}"#
            let reply = try await client.call(
                .post,
                "/v1/batches/API%20Transcripts%20batch%202/setMetadata",
                body: big
            )
            #expect(reply.status == 413)
            #expect(reply.errorMessage?.contains("1 MiB") == true)
        }
    }

    @Test func openAPIDocumentNeedsNoKey() async throws {
        try await HTTPFixture().run { client in
            let reply = try await client.call(.get, "/v1/openapi.json", key: nil)
            #expect(reply.status == 200)
            #expect((reply.json as? [String: Any])?["paths"] != nil)
        }
    }

    @Test func liveAndTestKeysSeeSeparateData() async throws {
        let live = "live_http_fixture"
        try await HTTPFixture(SandboxConfiguration(seed: .demo, extraAPIKeys: [live])).run { client in
            let created = try await client.call(
                .post,
                "/v1/task/chat",
                body: #"{"project":"Support Chats","unique_id":"only-in-test"}"#
            )
            #expect(created.status == 200)
            let id = try #require((created.json as? [String: Any])?["task_id"] as? String)
            #expect(try await client.call(.get, "/v1/task/\(id)").status == 200)
            #expect(try await client.call(.get, "/v1/task/\(id)", key: live).status == 404)
            let liveList = try await client.call(.get, "/v1/tasks?unique_id=only-in-test", key: live)
            #expect(json(liveList.json as Any, "total") as? Int == 0)
        }
    }

    @Test func pipelineConfigAnswersOnItsAlias() async throws {
        try await HTTPFixture().run { client in
            let reply = try await client.call(
                .post,
                "/v1/studio/projects/Invoice%20Fields/updatePipelineConfig",
                body: #"{"pipeline":"consensus_task","consensus_attempts":4}"#
            )
            #expect(reply.status == 200, "\(reply.text)")
            #expect(json(reply.json as Any, "consensus_attempts") as? Int == 4)
        }
    }

    @Test func cachedReadsSeeWrites() async throws {
        try await HTTPFixture().run { client in
            let before = try await client.call(.get, "/v1/teams")
            _ = try await client.call(.get, "/v1/teams")
            let invited = try await client.call(
                .post,
                "/v1/teams/invite",
                body: #"{"emails":["cache@example.com"],"team_role":"member"}"#
            )
            #expect(invited.status == 200)
            let after = try await client.call(.get, "/v1/teams")
            #expect((after.json as? [Any])?.count == ((before.json as? [Any])?.count ?? 0) + 1)
            // A cached read is not a way around the checks of a body.
            let withBody = try await client.call(.get, "/v1/teams", body: #"{"surprise":1}"#)
            #expect(withBody.status == 400 && withBody.errorMessage?.contains("surprise") == true)
        }
    }

    @Test func cachedStudioViewsSeeTaskWrites() async throws {
        try await HTTPFixture().run { client in
            func total() async throws -> Int? {
                let list = try await client.call(.get, "/v1/studio/batches")
                let batch = (list.json as? [[String: Any]])?.first {
                    $0["name"] as? String == "Street Scenes week 2"
                }
                return batch?["total"] as? Int
            }
            let before = try #require(try await total())
            #expect(try await total() == before)
            let created = try await client.call(
                .post,
                "/v1/task/imageannotation",
                body: #"{"project":"Street Scenes","batch":"Street Scenes week 2"}"#
            )
            #expect(created.status == 200)
            #expect(try await total() == before + 1)
        }
    }

    @Test func rateLimitAnswers429WithHeaders() async throws {
        // One request per 100 s with a burst of 2: the third request in a row is over.
        let configuration = SandboxConfiguration(
            seed: .demo,
            rateLimit: RateLimit(perSecond: 0.01, burst: 2)
        )
        try await HTTPFixture(configuration).run { client in
            let first = try await client.call(.get, "/v1/teams")
            #expect(first.status == 200)
            #expect(first.headers[HTTPField.Name("X-RateLimit-Remaining")!] == "1")
            #expect(try await client.call(.get, "/v1/teams").status == 200)
            let third = try await client.call(.get, "/v1/teams")
            #expect(third.status == 429)
            #expect(Int(third.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(third.headers[HTTPField.Name("X-RateLimit-Limit")!] != nil)
            #expect(third.headers[HTTPField.Name("X-RateLimit-Remaining")!] == "0")
            #expect(Int(third.headers[HTTPField.Name("X-RateLimit-Reset")!] ?? "") ?? 0 > 0)
            // Another key has its own bucket.
            #expect(try await client.call(.get, "/v1/openapi.json", key: nil).status == 200)
        }
    }

    @Test func injectedErrorsAndThrottles() async throws {
        try await HTTPFixture(SandboxConfiguration(seed: .demo, faults: Faults(error: 1))).run { client in
            let reply = try await client.call(.get, "/v1/teams")
            #expect(reply.status == 500)
            #expect(json(reply.json as Any, "status_code") as? Int == 500)
        }
        try await HTTPFixture(SandboxConfiguration(seed: .demo, faults: Faults(throttle: 1))).run { client in
            let reply = try await client.call(.get, "/v1/teams")
            #expect(reply.status == 429)
            #expect(reply.headers[.retryAfter] != nil)
        }
    }

    @Test func lateErrorAppliesTheWriteThenAnswers500() async throws {
        let fixture = try await HTTPFixture(SandboxConfiguration(seed: .demo, faults: Faults(lateError: 1)))
        let store = fixture.server.store
        try await fixture.run { client in
            let reply = try await client.call(
                .post,
                "/v1/task/chat",
                body: #"{"project":"Support Chats","unique_id":"late-1"}"#
            )
            #expect(reply.status == 500)
            #expect(try store.integer("SELECT COUNT(*) FROM task WHERE unique_id = 'late-1'") == 1)
            // The retry that follows a false 500 cannot duplicate the task.
            let retry = try await client.call(
                .post,
                "/v1/task/chat",
                body: #"{"project":"Support Chats","unique_id":"late-1"}"#
            )
            #expect(retry.status == 409)
            #expect(try store.integer("SELECT COUNT(*) FROM task WHERE unique_id = 'late-1'") == 1)
            // Reads are not affected by late errors.
            #expect(try await client.call(.get, "/v1/teams").status == 200)
        }
    }

    @Test func adminRoutesSimulateLabelers() async throws {
        let fixture = try await HTTPFixture()
        let store = fixture.server.store
        let tenant = try #require(try await store.tenant(forKey: HTTPFixture.key)).id
        let task = try store.strings(
            "SELECT task_id FROM task WHERE tenant_id = \(tenant) AND status = 'pending' LIMIT 1"
        )[0]
        let labeler = try store.strings(
            "SELECT email FROM teammate WHERE tenant_id = \(tenant) AND role = 'labeler' LIMIT 1"
        )[0]
        try await fixture.run { client in
            let attempt = try await client.call(
                .post,
                "/sandbox/tasks/\(task)/attempts",
                body: #"{"labeler_email":"\#(labeler)","score":0.9}"#
            )
            #expect(attempt.status == 200, "\(attempt.text)")
            #expect(json(attempt.json as Any, "quality_task_id") as? String == task)
            #expect(json(attempt.json as Any, "passed") as? Bool == true)
            let listed = try await client.call(.get, "/v1/quality/labelers?quality_task_ids=\(task)")
            #expect((json(listed.json as Any, "docs") as? [Any])?.isEmpty == false)
            let bad = try await client.call(.post, "/sandbox/tasks/\(task)/attempts", body: #"{"score":2}"#)
            #expect(bad.status == 400 && bad.errorMessage?.contains("labeler_email") == true)
            let done = try await client.call(
                .post,
                "/sandbox/tasks/\(task)/complete",
                body: #"{"response":{"label":"car"}}"#
            )
            #expect(json(done.json as Any, "status") as? String == "completed")
            #expect(json(done.json as Any, "response.label") as? String == "car")
            #expect(
                try await client.call(.post, "/sandbox/account", body: #"{"studio":false}"#).status == 200
            )
            let refused = try await client.call(
                .post,
                "/v1/teams/invite",
                body: #"{"emails":["l@example.com"],"team_role":"labeler"}"#
            )
            #expect(refused.status == 402)
        }
    }

    @Test func startupRefusesAnOperationWithoutHandler() throws {
        let stray = RoutedOperation(
            id: "teams.vanish",
            method: .post,
            path: "/teams/vanish",
            aliases: [],
            mutates: true,
            validate: { _, _, _ in
                ValidatedRequest(
                    operation: RefonteAPI.Operation(
                        id: "teams.vanish",
                        method: .post,
                        path: "/teams/vanish",
                        mutates: true,
                        summary: "",
                        returns: ""
                    )
                )
            }
        )
        #expect(throws: SandboxStartupError.self) {
            try SandboxServer.checkCoverage(CatalogRoutes.operations + [stray])
        }
        do {
            _ = try SandboxServer.checkCoverage([stray])
            Issue.record("a catalog of one unknown operation was accepted")
        } catch {
            #expect("\(error)".contains("no handler for: teams.vanish"))
        }
        let handlers = try SandboxServer.checkCoverage(CatalogRoutes.operations)
        #expect(handlers.count == Catalog.operations.count)
        #expect(CatalogRoutes.operations.count == Catalog.operations.count)
    }
}

@Suite("Option strings")
struct OptionParsingTests {
    @Test func faults() throws {
        let faults = try Faults(parsing: "error=0.1,throttle=0.05,latency=20ms,reset=0.01,late-error=0.05")
        #expect(
            faults
                == Faults(error: 0.1, throttle: 0.05, reset: 0.01, lateError: 0.05, latencyMilliseconds: 20)
        )
        for bad in ["error=2", "error", "latency=fast", "explode=0.1", "error=-0.1"] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try Faults(parsing: bad) }
        }
        do {
            _ = try Faults(parsing: "explode=0.1")
        } catch {
            #expect(error.description.contains("--faults") && error.description.contains("explode"))
        }
    }

    @Test func rateLimits() throws {
        #expect(try RateLimit.parse("50/s") == RateLimit(perSecond: 50, burst: 50))
        #expect(try RateLimit.parse("50/s,burst=100") == RateLimit(perSecond: 50, burst: 100))
        #expect(try RateLimit.parse("120/min")?.perSecond == 2)
        #expect(try RateLimit.parse("0.5/s") == RateLimit(perSecond: 0.5, burst: 1))
        for bad in ["50", "fast/s", "50/d", "0/s", "1e19/s", "2000000/s", "50/s,burst=0", "50/s,x=1", "-5/s"]
        {
            #expect(throws: RateLimit.ParseError.self, "\(bad)") { try RateLimit.parse(bad) }
        }
    }

    @Test func timestampsRoundTrip() throws {
        let stamp = try #require(Timestamp(iso8601: "2026-11-29T05:03:24.123Z"))
        #expect(stamp.iso8601 == "2026-11-29T05:03:24.123Z")
        #expect(Timestamp(iso8601: "2026-11-29T07:03:24.123+02:00") == stamp)
        #expect(Timestamp(iso8601: "1969-12-31T23:59:59Z")?.milliseconds == -1000)
        #expect(Timestamp(iso8601: "2026-13-01") == nil)
        #expect(Timestamp(iso8601: "yesterday") == nil)
    }
}
