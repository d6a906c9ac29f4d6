import Foundation
import Logging
import Testing

@testable import RefonteAPI

/// The API key must never show up in an error or a log line, even when the server echoes it.
@Suite struct ClientSecretTests {
    @Test func keyNeverAppearsInErrorsOrLogs() async throws {
        let server = ScriptedServer([
            .init(status: 500, body: #"{"status_code":500,"error":"boom"}"#),
            .init(status: 401, body: #"{"status_code":401,"error":"unknown key \#(testKey)"}"#),
        ])
        let logs = LogCapture()
        let clock = RecordingClock()
        var caught: APIError?
        try await server.run { url in
            let configuration = try ClientHTTPTests.configuration(url, rateLimit: RateLimit(perSecond: 1))
            try await APIClient.withClient(
                configuration: configuration,
                clock: clock.clock,
                logger: logs.logger()
            ) {
                client in
                caught = try await failure(of: await client.send(.get("/teams")))
            }
        }
        let error = try #require(caught)
        #expect(error.code == "unauthorized")
        #expect(error.message == "unknown key test_ab****")

        let encodedHeader = Data("\(testKey):".utf8).base64EncodedString()
        let texts = [error.description, String(reflecting: error), "\(error)", logs.text]
        for text in texts {
            #expect(!text.contains(testKey))
            #expect(!text.contains(encodedHeader))
            #expect(!text.contains("abcdefghijklmnop"))
        }
        // The logs did record the retry, so the check above looked at real output.
        #expect(logs.text.contains("retrying refonte.teams.list"))
        #expect(logs.text.contains("status=500"))
    }

    @Test func configurationDumpIsMasked() throws {
        let configuration = ClientConfiguration(apiKey: try APIKey(testKey))
        var dumped = ""
        dump(configuration, to: &dumped)
        let texts = [dumped, "\(configuration)", String(reflecting: configuration)]
        for text in texts {
            #expect(!text.contains(testKey))
            #expect(text.contains("test_ab****"))
        }
    }
}

@Suite struct ClientRateLimitTests {
    /// A fresh bucket holds one token, not its burst: a client set to the server's rate then
    /// leaves the server's own burst as slack, and never earns a 429 from jitter.
    @Test func bucketStartsWithOneTokenThenSpacesRequests() async {
        let bucket = TokenBucket(RateLimit(perSecond: 2, burst: 2), now: .zero)
        var waits: [Duration] = []
        for _ in 0..<4 { waits.append(await bucket.reserve(now: .zero)) }
        #expect(waits == [.zero, .milliseconds(500), .seconds(1), .milliseconds(1500)])
        // Two seconds pay back the debt of three tokens and earn one more.
        #expect(await bucket.reserve(now: .seconds(2)) == .zero)
        #expect(await bucket.reserve(now: .seconds(2)) == .milliseconds(500))
    }

    @Test func theBurstBuildsUpWhileIdle() async {
        let bucket = TokenBucket(RateLimit(perSecond: 2, burst: 3), now: .zero)
        #expect(await bucket.reserve(now: .zero) == .zero)
        // Ten idle seconds fill the bucket to its burst of three, and no further.
        var waits: [Duration] = []
        for _ in 0..<4 { waits.append(await bucket.reserve(now: .seconds(10))) }
        #expect(waits == [.zero, .zero, .zero, .milliseconds(500)])
    }

    @Test func pauseHoldsEveryoneBackThenRestartsWithoutABurst() async {
        let bucket = TokenBucket(RateLimit(perSecond: 10, burst: 10), now: .zero)
        await bucket.pause(until: .seconds(5), now: .zero)
        #expect(await bucket.reserve(now: .seconds(1)) == .seconds(4))
        #expect(await bucket.reserve(now: .seconds(1)) == .seconds(4) + .milliseconds(100))
    }

    @Test func clientWaitsForTokens() async throws {
        let server = ScriptedServer([.init(status: 200, body: "[]")])
        let clock = RecordingClock()
        try await server.run { url in
            let configuration = try ClientHTTPTests.configuration(
                url,
                rateLimit: RateLimit(perSecond: 1, burst: 1)
            )
            try await APIClient.withClient(
                configuration: configuration,
                clock: clock.clock,
                logger: LogCapture().logger()
            ) {
                client in
                for _ in 0..<3 { _ = try await client.send(.get("/teams")) }
            }
        }
        #expect(server.received.count == 3)
        #expect(clock.sleeps == [.seconds(1), .seconds(1)])
    }

    @Test(arguments: [
        ("50/s", 50.0, 50), ("600/m", 10.0, 10), ("30/m", 0.5, 1), ("7200/h", 2.0, 2), (" 5 / s ", 5.0, 5),
    ])
    func parsesRateLimits(text: String, perSecond: Double, burst: Int) throws {
        let limit = try #require(try RateLimit.parse(text))
        #expect(limit.perSecond == perSecond)
        #expect(limit.burst == burst)
    }

    @Test func offMeansNoLimit() throws {
        #expect(try RateLimit.parse("off") == nil)
    }

    @Test(arguments: [
        ("50", "missing the \"/unit\" part"), ("0/s", "\"0\" is not a positive decimal number"),
        ("x/s", "\"x\" is not a positive decimal number"), ("50/d", "unknown unit \"d\""),
        ("1e19/s", "\"1e19\" is not a positive decimal number"), ("2000000/s", "more than 1000000 requests"),
        ("50/s,burst=0", "\"burst=0\" is not burst=N"), ("0.0001/s", "less than 0.001 requests per second"),
    ])
    func rejectsBadRateLimits(text: String, reason: String) {
        do {
            _ = try RateLimit.parse(text)
            Issue.record("\(text) should not parse")
        } catch {
            #expect(error.description.contains(reason))
            #expect(error.description.contains("like \"50/s\" or \"600/m\""))
        }
    }

    @Test func backoffStaysUnderItsGrowingCap() {
        let policy = RetryPolicy(baseDelay: .milliseconds(500), maxDelay: .seconds(3))
        #expect(policy.backoffCap(afterAttempt: 1) == .milliseconds(500))
        #expect(policy.backoffCap(afterAttempt: 2) == .seconds(1))
        #expect(policy.backoffCap(afterAttempt: 3) == .seconds(2))
        #expect(policy.backoffCap(afterAttempt: 4) == .seconds(3))
        for attempt in 1...6 {
            for _ in 0..<20 {
                let delay = policy.backoff(afterAttempt: attempt)
                #expect(delay >= .zero && delay <= policy.backoffCap(afterAttempt: attempt))
            }
        }
    }

    @Test func joinsBaseURLPathAndQuery() {
        let request = PreparedRequest.get(
            "/studio/projects/My%20Project/groups",
            query: [.init(name: "archived", value: "true")]
        )
        #expect(
            RequestURL.make(baseURL: URL(string: "http://127.0.0.1:8080/v1/")!, request: request)
                == "http://127.0.0.1:8080/v1/studio/projects/My%20Project/groups?archived=true"
        )
    }
}
