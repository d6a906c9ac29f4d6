import Foundation
import LuaRuntime
import RefonteScripting
import Testing

/// Bad arguments are refused before anything is sent, with the exact text a user sees.
@Suite("API argument errors")
struct ArgumentErrorTests {
    /// A connection that fails the test if it is ever opened.
    static func unopenable() -> APIConnection {
        APIConnection {
            Issue.record("the connection was opened although the arguments were refused")
            throw LuaValueError("must not connect")
        }
    }

    /// Runs `call` under pcall and returns tostring of the error value.
    static func error(of call: String) async throws -> String {
        var captured = ""
        let source = """
            local ok, err = pcall(function() return \(call) end)
            assert(not ok, "the call succeeded")
            error("CAUGHT:" .. tostring(err), 0)
            """
        do {
            try await runLua(source, connection: unopenable())
        } catch {
            captured = "\(error)"
        }
        guard let range = captured.range(of: "CAUGHT:") else { return captured }
        return String(captured[range.upperBound...].prefix { $0 != "\n" })
    }

    @Test(
        "each kind of bad argument names the operation and the field",
        arguments: [
            (
                #"refonte.teams.invite { role = "labeler" }"#,
                "refonte.teams.invite: missing required argument 'emails' (array of email addresses)"
            ),
            (
                #"refonte.teams.invite { emails = "a@x.com", role = "labeler" }"#,
                #"refonte.teams.invite: argument 'emails' must be an array of email addresses (got "a@x.com")"#
            ),
            (
                #"refonte.teams.invite { emails = { "a@x.com" }, role = "admin" }"#,
                #"refonte.teams.invite: argument 'role' must be one of labeler, member, manager (got "admin")"#
            ),
            (
                #"refonte.teams.invite { emale = { "a@x.com" }, role = "labeler" }"#,
                "refonte.teams.invite: unknown argument 'emale' (expected one of: emails, role); did you mean 'emails'?"
            ),
            (
                #"refonte.teams.invite { emails = { 1 }, role = "member" }"#,
                "refonte.teams.invite: argument 'emails[1]' must be an email address such as ana@example.com (got 1)"
            ),
            (
                #"refonte.tasks.list { limit = 500 }"#,
                "refonte.tasks.list: argument 'limit' must be an integer from 1 to 100 (got 500)"
            ),
            (
                #"refonte.tasks.list { limit = 2.5 }"#,
                "refonte.tasks.list: argument 'limit' must be an integer from 1 to 100 (got 2.5)"
            ),
            (
                #"refonte.studio.batches.set_priorities { batches = { { nam = "b" } } }"#,
                "refonte.studio.batches.set_priorities: unknown argument 'batches[1].nam' (expected one of: name); did you mean 'name'?"
            ),
            (
                #"refonte.teams.list { role = "admin" }"#,
                "refonte.teams.list: unknown argument 'role' (this operation takes no arguments)"
            ),
        ]
    )
    func refused(call: String, message: String) async throws {
        #expect(try await Self.error(of: call) == message)
    }

    @Test("a call without a table of named arguments says how to call it")
    func notATable() async throws {
        let text = try await Self.error(of: #"refonte.teams.invite("a@x.com")"#)
        #expect(
            text.contains(
                "refonte.teams.invite: takes a table of named arguments, e.g. refonte.teams.invite{ ... }, got string"
            )
        )
        let extra = try await Self.error(of: #"refonte.teams.list({}, 2)"#)
        #expect(extra.contains("refonte.teams.list: takes one table of named arguments, got 2 arguments"))
    }

    @Test("the refused call's error value carries the field and what was expected")
    func structured() async throws {
        let source = """
            local ok, err = pcall(refonte.teams.invite, { emails = { "a@x.com" }, role = "owner" })
            assert(not ok)
            assert(err.code == "invalid_argument", err.code)
            assert(err.operation == "teams.invite", err.operation)
            assert(err.field == "role", err.field)
            assert(err.expected == "one of labeler, member, manager", err.expected)
            assert(err.got == '"owner"', err.got)
            assert(err.status == nil)
            """
        try await runLua(source, connection: Self.unopenable())
    }
}
