import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RefonteAPI
import RefonteSandbox
import Testing

/// Scripts against a sandbox that fails on purpose (`--faults`), over HTTP and HTTPS: reads
/// are sent again, writes that may have happened are not, and the script sees why.
@Suite("Calls against a failing sandbox")
struct FaultToleranceTests {
    /// Quick retries, so three attempts take milliseconds.
    let retry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(5))

    @Test(arguments: Wire.allCases)
    func aDroppedConnectionIsRetriedForAReadButNotForAWrite(over wire: Wire) async throws {
        try await withSandbox(faults: Faults(reset: 1), over: wire) { sandbox in
            let source = """
                local team, err = refonte.try(refonte.teams.list)
                assert(team == nil, "the read should have failed")
                assert(err.code == "network" and err.status == nil, tostring(err))
                assert(err.attempts == 3, "read attempts: " .. tostring(err.attempts))
                assert(err.message:find("127.0.0.1", 1, true), err.message)
                local invited, e = refonte.try(refonte.teams.invite, { emails = { "drop@example.com" }, role = "labeler" })
                assert(invited == nil and e.code == "network", tostring(e))
                assert(e.attempts == 1, "a write whose fate is unknown is not sent again: " .. tostring(e.attempts))
                """
            try await runLua(source, connection: connection(to: sandbox, retry: retry))
        }
    }

    @Test(arguments: Wire.allCases)
    func serverErrorsAreRetriedForAReadUntilTheyStop(over wire: Wire) async throws {
        try await withSandbox(faults: Faults(error: 1), over: wire) { sandbox in
            let source = """
                local _, err = refonte.try(refonte.teams.list)
                assert(err.status == 500 and err.code == "internal", tostring(err))
                assert(err.attempts == 3, "attempts: " .. tostring(err.attempts))
                assert(tostring(err):find("^refonte.teams.list failed: 500 internal: injected fault"), tostring(err))
                """
            try await runLua(source, connection: connection(to: sandbox, retry: retry))
        }
    }

    /// The false failure: the write happened, then the answer was a 500. Each write is then
    /// settled as its retry class says, and takes effect exactly once: the invite (`checked`)
    /// is found on the team and not sent again; the task and the group (`idempotent-by-key`)
    /// are sent again, refused with 409, and fetched; the assignment (`idempotent`) is simply
    /// sent again (and, as every answer is a 500 here, fails in the end). The sandbox's request
    /// log shows what went out.
    /// Over plain HTTP only: the request log is read with a client that trusts no test CA.
    @Test func writesAnswered500AfterTheyWereAppliedTakeEffectOnce() async throws {
        try await withSandbox(faults: Faults(lateError: 1)) { sandbox in
            let source = """
                local tag = tostring(...)
                local email = "late-" .. tag .. "@example.com"
                local team = refonte.teams.invite { emails = { email }, role = "labeler" }
                local invited = false
                for _, mate in ipairs(team) do invited = invited or (mate.email == email and mate.role == "invited") end
                assert(invited, "the invite's answer is the team with the invitation")
                -- Every answer is a 500, so an idempotent write is sent until the attempts run out,
                -- each time harmlessly.
                local _, err = refonte.try(refonte.studio.assignments.add, { emails = { email }, projects = { "Street Scenes" } })
                assert(err.status == 500 and err.attempts == 3, tostring(err))
                local group = refonte.studio.groups.create { project = "Street Scenes", name = "late " .. tag, emails = { email } }
                assert(group.name == "late " .. tag and group.numWorkers == 1, json.encode(group))
                local task = refonte.tasks.create { type = "chat", project = "Street Scenes", instruction = "late " .. tag }
                assert(task.instruction == "late " .. tag and task.unique_id:find("^refonte%-"), json.encode(task))
                local same = refonte.tasks.list { unique_id = { task.unique_id } }
                assert(same.total == 1, "one task with that key, got " .. same.total)
                """
            try await runLua(
                source,
                arguments: ["late"],
                connection: connection(to: sandbox, retry: retry)
            )
            let log = try await requestLog(of: sandbox)
            func sent(_ operation: String) -> Int {
                if case .integer(let count)? = log.value(at: ["by_operation", operation]) {
                    return Int(count)
                }
                return 0
            }
            #expect(sent("teams.invite") == 1)
            #expect(sent("teams.list") == 1)
            #expect(sent("studio.assignments.add") == 3)
            #expect(sent("studio.groups.create") == 2)
            #expect(sent("studio.groups.list") == 1)
            #expect(sent("tasks.create") == 2)
        }
    }
}

/// The sandbox's request log, over HTTP as a user reads it (`query`: `since`, `limit`).
func requestLog(of sandbox: EmbeddedSandbox, query: String = "limit=1") async throws -> JSONValue {
    let url = sandbox.baseURL.replacingOccurrences(of: "/v1", with: "/sandbox/requests?" + query)
    var request = HTTPClientRequest(url: url)
    request.headers.add(
        name: "Authorization",
        value: "Basic " + Data("\(testAPIKey):".utf8).base64EncodedString()
    )
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
    return try JSONValue.parse(Array(try await response.body.collect(upTo: 8 << 20).readableBytesView))
}
