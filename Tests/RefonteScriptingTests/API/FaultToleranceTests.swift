import Foundation
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

    /// The false failure: the write happened, then the answer was a 500. It is not sent again
    /// (that would invite twice), and reading shows it took effect.
    @Test(arguments: Wire.allCases)
    func aWriteAnswered500AfterItWasAppliedIsNotRepeated(over wire: Wire) async throws {
        try await withSandbox(faults: Faults(lateError: 1), over: wire) { sandbox in
            let source = """
                local email = "late-" .. tostring(...) .. "@example.com"
                local _, err = refonte.try(refonte.teams.invite, { emails = { email }, role = "labeler" })
                assert(err.status == 500 and err.attempts == 1, tostring(err))
                local found = false
                for _, mate in ipairs(refonte.teams.list()) do
                  if mate.email == email then found = mate.role == "invited" end
                end
                assert(found, "the invite took effect despite the 500")
                """
            try await runLua(
                source,
                arguments: [wire.rawValue],
                connection: connection(to: sandbox, retry: retry)
            )
        }
    }
}
