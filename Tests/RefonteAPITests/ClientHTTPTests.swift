import Foundation
import Logging
import Testing

@testable import RefonteAPI

/// The client against a real loopback server: headers, bodies, errors, timeouts.
@Suite struct ClientHTTPTests {
    static func configuration(
        _ baseURL: URL,
        timeout: Duration = .seconds(10),
        rateLimit: RateLimit? = nil,
        retry: RetryPolicy = RetryPolicy()
    ) throws -> ClientConfiguration {
        ClientConfiguration(
            baseURL: baseURL,
            apiKey: try APIKey(testKey),
            timeout: timeout,
            rateLimit: rateLimit,
            retry: retry,
            userAgentSuffix: "source/tests"
        )
    }

    @Test func sendsBasicAuthUserAgentAndJSONContentTypeOnGet() async throws {
        let server = ScriptedServer([.init(status: 200, body: #"[{"email":"a@x.com"}]"#)])
        try await server.withClient { client in
            let response = try await client.send(
                .get(
                    "/teams",
                    query: [
                        .init(name: "labeler_emails", value: "a+b@x.com"),
                        .init(name: "labeler_emails", value: "c d"),
                    ]
                )
            )
            #expect(response.status == 200)
            #expect(response.attempts == 1)
            #expect(String(decoding: response.body, as: UTF8.self) == #"[{"email":"a@x.com"}]"#)
            #expect(response.header("Content-Type") == "application/json")
        }
        let request = try #require(server.received.first)
        #expect(request.method == "GET")
        #expect(request.uri == "/v1/teams?labeler_emails=a%2Bb%40x.com&labeler_emails=c%20d")
        let expectedAuth = "Basic " + Data("\(testKey):".utf8).base64EncodedString()
        #expect(request.headers["authorization"] == expectedAuth)
        #expect(request.headers["content-type"] == "application/json")
        let agent = try #require(request.headers["user-agent"])
        #expect(agent.hasPrefix("refonte-lua/\(RefonteVersion.current) Swift/6."))
        #expect(agent.contains(" OS/"))
        #expect(agent.hasSuffix(" source/tests"))
    }

    @Test func sendsBodyBytesAndContentTypeOnBodylessPost() async throws {
        let server = ScriptedServer([.init(status: 200, body: "[]")])
        let body = #"{"emails":["x@y.com"],"team_role":"labeler"}"#
        try await server.withClient { client in
            _ = try await client.send(.post("/teams/invite", body: body))
            _ = try await client.send(
                .post("/studio/batches/reset_priorities", id: "studio.batches.reset_priorities")
            )
        }
        let received = server.received
        try #require(received.count == 2)
        #expect(received[0].method == "POST")
        #expect(received[0].uri == "/v1/teams/invite")
        #expect(received[0].body == Array(body.utf8))
        #expect(received[1].uri == "/v1/studio/batches/reset_priorities")
        #expect(received[1].body.isEmpty)
        #expect(received[1].headers["content-type"] == "application/json")
    }

    @Test func decodesTheContractErrorBody() async throws {
        let server = ScriptedServer([
            .init(status: 404, body: #"{"status_code": 404, "error": "no teammate with email x@y.com"}"#)
        ])
        try await server.withClient { client in
            let error = try await failure(
                of: await client.send(.post("/teams/set_role", body: "{}", idempotent: true))
            )
            #expect(error.status == 404)
            #expect(error.code == "not_found")
            #expect(error.message == "no teammate with email x@y.com")
            #expect(error.operationID == "teams.invite")
            #expect(error.attempts == 1)
            #expect(
                error.description
                    == "refonte.teams.invite failed: 404 not_found: no teammate with email x@y.com"
            )
        }
        // A 4xx is never retried, even for an idempotent call.
        #expect(server.received.count == 1)
    }

    @Test(arguments: [
        (400, "bad_request"), (401, "unauthorized"), (402, "not_enabled"), (403, "forbidden"),
        (409, "duplicate"), (413, "too_large"), (418, "unexpected_status"),
    ])
    func mapsStatusesToCodes(status: Int, code: String) async throws {
        let server = ScriptedServer([
            .init(status: status, body: #"{"status_code": \#(status), "error": "nope"}"#)
        ])
        try await server.run { url in
            try await APIClient.withClient(
                configuration: Self.configuration(url),
                logger: LogCapture().logger()
            ) {
                client in
                let error = try await failure(of: await client.send(.get("/teams")))
                #expect(error.status == status)
                #expect(error.code == code)
                #expect(error.message == "nope")
            }
        }
        #expect(server.received.count == 1)
    }

    @Test func treatsOther2xxAsAnError() async throws {
        let server = ScriptedServer([.init(status: 201, body: "")])
        try await server.withClient { client in
            let error = try await failure(
                of: await client.send(.post("/projects", body: #"{"type":"x","name":"p"}"#))
            )
            #expect(error.status == 201)
            #expect(error.code == "unexpected_status")
            #expect(error.message.contains("201"))
        }
    }

    @Test func explainsAnErrorWithoutAContractBody() async throws {
        let server = ScriptedServer([.init(status: 502, body: "<html>bad gateway</html>")])
        try await server.withClient { client in
            let audit = PreparedRequest.post("/task/t1/audit", body: "{}", id: "tasks.audit")
            let error = try await failure(of: await client.send(audit))
            #expect(error.code == "unexpected_status")
            #expect(
                error.message
                    == "the server answered HTTP 502 Bad Gateway without an error message; it may have taken effect"
            )
        }
    }

    @Test func timesOutWithoutRetryingANonIdempotentCall() async throws {
        let server = ScriptedServer([.init(status: 200, hold: true)])
        try await server.run { url in
            // Long enough for the request to arrive on a busy machine: it is sent, then unanswered.
            let configuration = try Self.configuration(url, timeout: .seconds(2))
            try await APIClient.withClient(configuration: configuration, logger: LogCapture().logger()) {
                client in
                // `tasks.audit` is never repeated: each call records one more audit.
                let audit = PreparedRequest.post("/task/t1/audit", body: "{}", id: "tasks.audit")
                let error = try await failure(of: await client.send(audit))
                #expect(error.status == nil)
                #expect(error.code == "timeout")
                #expect(
                    error.message
                        == "no answer from 127.0.0.1:\(url.port!) within 2s; it may have taken effect"
                )
                #expect(error.attempts == 1)
            }
        }
        #expect(server.received.count == 1)
    }

    @Test func retriesATimedOutGet() async throws {
        let server = ScriptedServer([.init(status: 200, hold: true)])
        let clock = RecordingClock()
        try await server.run { url in
            let configuration = try Self.configuration(
                url,
                // Long enough for each attempt to arrive on a busy machine.
                timeout: .seconds(2),
                retry: RetryPolicy(maxAttempts: 2)
            )
            try await APIClient.withClient(
                configuration: configuration,
                clock: clock.clock,
                logger: LogCapture().logger()
            ) {
                client in
                let error = try await failure(of: await client.send(.get("/teams")))
                #expect(error.code == "timeout")
                #expect(error.attempts == 2)
            }
        }
        #expect(server.received.count == 2)
        #expect(clock.sleeps.count == 1)
    }

    @Test func reusesItsConnection() async throws {
        let server = ScriptedServer([.init(status: 200, body: "[]")])
        try await server.withClient { client in
            for _ in 0..<3 { _ = try await client.send(.get("/teams")) }
        }
        let ports = server.received.map(\.remotePort)
        #expect(ports.count == 3)
        #expect(ports[0] != nil)
        #expect(Set(ports).count == 1)
    }

    @Test func retriesWhenTheConnectionIsRefusedEvenForAWrite() async throws {
        // Nothing listens on port 1: the request never leaves, so resending a write is safe.
        let clock = RecordingClock()
        let configuration = try Self.configuration(
            URL(string: "http://127.0.0.1:1/v1")!,
            timeout: .seconds(2),
            retry: RetryPolicy(maxAttempts: 2)
        )
        try await APIClient.withClient(
            configuration: configuration,
            clock: clock.clock,
            logger: LogCapture().logger()
        ) {
            client in
            let error = try await failure(of: await client.send(.post("/teams/invite", body: "{}")))
            #expect(error.status == nil)
            #expect(error.code == "network")
            #expect(
                error.message
                    == "127.0.0.1:1 refused the connection (is the server running, and is the port right?)"
            )
            #expect(error.attempts == 2)
        }
        #expect(clock.sleeps.count == 1)
    }
}

/// The `APIError` an API call threw; fails the test if it succeeded.
func failure(
    of call: @autoclosure () async throws(APIError) -> APIResponse,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws -> APIError {
    let response: APIResponse
    do {
        response = try await call()
    } catch {
        return error
    }
    Issue.record("expected an APIError, got status \(response.status)", sourceLocation: sourceLocation)
    throw CancellationError()
}

/// One client shared by many tasks, as coroutines share it.
@Suite struct ClientConcurrencyTests {
    @Test func manyConcurrentCallsShareOneClient() async throws {
        let server = ScriptedServer([.init(status: 200, body: #"{"ok":true}"#)])
        try await server.run { url in
            var configuration = try ClientHTTPTests.configuration(url)
            configuration.maxConnections = 8
            try await APIClient.withClient(configuration: configuration, logger: LogCapture().logger()) {
                client in
                try await Self.callForty(client)
            }
        }
        let paths = Set(server.received.map(\.uri))
        #expect(paths == Set((0..<40).map { "/v1/task/t\($0)" }))
        // The pool keeps at most `maxConnections` (8 here) connections open.
        #expect(Set(server.received.map(\.remotePort)).count <= 8)
    }

    static func callForty(_ client: APIClient) async throws {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let response = try await client.send(.get("/task/t\(index)", id: "tasks.get"))
                    return response.body.count
                }
            }
            var sizes: [Int] = []
            for try await size in group { sizes.append(size) }
            #expect(sizes == Array(repeating: 11, count: 40))
        }
    }

    @Test func cancellingTheCallerCancelsTheCall() async throws {
        let server = ScriptedServer([.init(status: 200, hold: true)])
        try await server.withClient { client in
            let call = Task { () async -> Result<APIResponse, APIError> in
                do throws(APIError) {
                    return .success(try await client.send(.get("/teams")))
                } catch {
                    return .failure(error)
                }
            }
            // Cancel only once the server holds the request, so the HTTP call itself is cut.
            while server.received.isEmpty { await Task.yield() }
            call.cancel()
            let error = try await failure(of: try await call.value.get())
            #expect(error.code == "cancelled")
            #expect(error.status == nil)
            #expect(error.attempts == 1)
        }
    }

    @Test func aRateLimitedAnswerRestartsTheLimiterWithoutABurst() async throws {
        let server = ScriptedServer([.init(status: 429, retryAfter: "2"), .init(status: 200)])
        let clock = RecordingClock()
        try await server.run { url in
            let configuration = try ClientHTTPTests.configuration(
                url,
                rateLimit: RateLimit(perSecond: 10)
            )
            try await APIClient.withClient(
                configuration: configuration,
                clock: clock.clock,
                logger: LogCapture().logger()
            ) { client in
                _ = try await client.send(.get("/teams"))
                // After the 2 s pause the retry and the next call go one interval (1/10 s)
                // apart: the pause restarts the limiter without a burst.
                _ = try await client.send(.get("/teams"))
            }
        }
        #expect(clock.sleeps == [.seconds(2), .milliseconds(100), .milliseconds(100)])
        #expect(server.received.count == 3)
    }
}
