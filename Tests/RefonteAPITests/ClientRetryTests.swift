import Foundation
import Logging
import Testing

@testable import RefonteAPI

/// Retry rules, against a real loopback server, with a clock that records waits instead of
/// waiting.
@Suite struct ClientRetryTests {
    let clock = RecordingClock()
    let logs = LogCapture()

    func send(
        _ request: PreparedRequest,
        to server: ScriptedServer,
        retry: RetryPolicy = RetryPolicy()
    ) async throws -> Result<APIResponse, APIError> {
        var result: Result<APIResponse, APIError>?
        try await server.run { url in
            let configuration = try ClientHTTPTests.configuration(url, retry: retry)
            try await APIClient.withClient(
                configuration: configuration,
                clock: clock.clock,
                logger: logs.logger()
            ) {
                client in
                do throws(APIError) {
                    result = .success(try await client.send(request))
                } catch {
                    result = .failure(error)
                }
            }
        }
        return try #require(result)
    }

    @Test func retriesServerErrorsForAGet() async throws {
        let server = ScriptedServer([.init(status: 500), .init(status: 500), .init(status: 200, body: "[]")])
        let response = try await send(.get("/teams"), to: server).get()
        #expect(response.attempts == 3)
        #expect(server.received.count == 3)
        let policy = RetryPolicy()
        #expect(clock.sleeps.count == 2)
        for (index, delay) in clock.sleeps.enumerated() {
            #expect(delay >= .zero)
            #expect(delay <= policy.backoffCap(afterAttempt: index + 1))
        }
    }

    @Test func retriesServerErrorsForAnIdempotentWrite() async throws {
        let server = ScriptedServer([.init(status: 503), .init(status: 504), .init(status: 200)])
        let request = PreparedRequest.post("/task/t1/cancel", id: "tasks.cancel", idempotent: true)
        let response = try await send(request, to: server).get()
        #expect(response.attempts == 3)
        #expect(server.received.count == 3)
    }

    /// `tasks.audit` is of retry class `never`: each call records one more audit.
    @Test(arguments: [500, 502, 503, 504])
    func neverRetriesServerErrorsForANonIdempotentWrite(status: Int) async throws {
        let server = ScriptedServer([.init(status: status), .init(status: 200)])
        let request = PreparedRequest.post("/task/t1/audit", body: #"{"accepted":true}"#, id: "tasks.audit")
        let result = try await send(request, to: server)
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.status == status)
        #expect(error.attempts == 1)
        #expect(error.message.hasSuffix("; it may have taken effect"))
        #expect(server.received.count == 1)
        #expect(clock.sleeps.isEmpty)
    }

    @Test func retries429ForAnyCallAndHonoursRetryAfter() async throws {
        let server = ScriptedServer([
            .init(status: 429, retryAfter: "7", body: #"{"status_code":429,"error":"slow down"}"#),
            .init(status: 429, retryAfter: "2"),
            .init(status: 200, body: "[]"),
        ])
        let response = try await send(.post("/teams/invite", body: "{}"), to: server)
            .get()
        #expect(response.attempts == 3)
        #expect(server.received.count == 3)
        #expect(clock.sleeps == [.seconds(7), .seconds(2)])
        let retries = logs.all.filter { $0.contains("retrying") }
        #expect(retries.count == 2)
        #expect(retries.allSatisfy { $0.contains("operation=teams.invite") && $0.contains("status=429") })
    }

    @Test func honoursRetryAfterOn503ForAGet() async throws {
        let server = ScriptedServer([.init(status: 503, retryAfter: "3"), .init(status: 200)])
        _ = try await send(.get("/teams"), to: server).get()
        #expect(clock.sleeps == [.seconds(3)])
    }

    @Test func givesUpWhenRetryAfterIsTooLong() async throws {
        let server = ScriptedServer([.init(status: 429, retryAfter: "600"), .init(status: 200)])
        let result = try await send(
            .get("/teams"),
            to: server,
            retry: RetryPolicy(maxRetryAfter: .seconds(60))
        )
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == "rate_limited")
        #expect(error.retryAfter == 600)
        #expect(error.attempts == 1)
        #expect(clock.sleeps.isEmpty)
    }

    @Test func stopsAfterMaxAttempts() async throws {
        let server = ScriptedServer([.init(status: 500)])
        let result = try await send(
            .get("/teams"),
            to: server,
            retry: RetryPolicy(maxAttempts: 4)
        )
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.attempts == 4)
        #expect(server.received.count == 4)
        #expect(clock.sleeps.count == 3)
        #expect(error.description.hasSuffix("(after 4 attempts)"))
    }

    /// A 429 asks only to wait: it does not count as a failed attempt, but every retry costs
    /// the run's budget, so a server that never lets us through is not asked forever.
    @Test func throttlesDoNotCountAsAttemptsButSpendTheBudget() async throws {
        let server = ScriptedServer([.init(status: 429, retryAfter: "1")])
        let result = try await send(
            .get("/teams"),
            to: server,
            retry: RetryPolicy(maxAttempts: 2, budget: 5)
        )
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.attempts == 6)
        #expect(server.received.count == 6)
        #expect(error.retryAfter == 1)
        #expect(clock.sleeps == Array(repeating: .seconds(1), count: 5))
        #expect(error.message.contains("retry budget (5 retries without a success in between) is spent"))
    }

    @Test func neverRetriesOther4xx() async throws {
        let server = ScriptedServer([.init(status: 409), .init(status: 200)])
        let result = try await send(
            .post("/batches", body: "{}", idempotent: true),
            to: server
        )
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == "duplicate")
        #expect(server.received.count == 1)
    }
}
