import Foundation
import RefonteAPI
import RefonteSandbox
import RefonteScripting
import Testing

/// A dry run as a script sees it: reads answer, writes return plausible values, and what only
/// the server could know is a placeholder that behaves as documented (docs/plans.md).
@Suite("Dry runs in Lua")
struct DryRunTests {
    func dryRun(_ sandbox: EmbeddedSandbox) -> (APIConnection, RunSession) {
        let session = RunSession(
            mode: .dryRun,
            context: RunContext(target: .account(baseURL: sandbox.baseURL)),
            logger: quietLogger
        )
        return (connection(to: sandbox, session: session), session)
    }

    @Test func placeholdersBehaveAsDocumented() async throws {
        try await withSandbox { sandbox in
            let (api, session) = dryRun(sandbox)
            let source = """
                local team = refonte.teams.list()
                assert(#team > 0 and not refonte.is_unknown(team[1].email))
                local t = refonte.tasks.create { type = "chat", project = "Street Scenes", instruction = "hi" }
                assert(refonte.is_unknown(t.task_id) and refonte.is_unknown(t.created_at))
                assert(not refonte.is_unknown(t.instruction) and t.status == "pending")
                assert(not refonte.is_unknown(nil) and not refonte.is_unknown({}) and not refonte.is_unknown("x"))
                assert(tostring(t.task_id) == "(known after apply)")
                assert("id " .. t.task_id == "id (known after apply)")
                assert(t.task_id .. 1 == "(known after apply)1" and 2.5 .. t.task_id == "2.5(known after apply)")
                assert(string.format("%s|%5s", t.task_id, "x") == "(known after apply)|    x")
                assert(t.task_id == t.task_id and t.task_id ~= t.created_at)
                assert(json.encode({ t.task_id }) == '["(known after apply)"]')
                for _ in pairs(t.task_id) do error("a placeholder has no members") end
                local ok, err = pcall(function() return #t.task_id end)
                assert(not ok and tostring(err):find("has no length"), tostring(err))
                ok, err = pcall(function() t.task_id.x = 1 end)
                assert(not ok and tostring(err):find("cannot be changed"), tostring(err))
                assert(getmetatable(t.task_id) == "refonte.unknown")
                -- Passed on, it stays a reference: the next write's answer echoes the same value.
                local m = refonte.tasks.set_metadata { task_id = t.task_id, metadata = { k = 1 } }
                assert(m.task_id == t.task_id and m.metadata.k == 1)
                log.info("planned", { id = t.task_id })
                """
            try await runLua(source, connection: api)
            let plan = try #require(session.plan())
            #expect(plan.writes.map(\.request.operationID) == ["tasks.create", "tasks.set_metadata"])
            #expect(plan.reads.map(\.display) == ["GET /teams"])
            #expect(plan.problems.isEmpty)
            #expect(
                plan.writes[1].request.path.hasPrefix(
                    "/task/" + PercentEncoding.encode(plan.placeholderPrefix)
                )
            )
            let log = try await requestLog(of: sandbox)
            #expect(log.value(at: ["writes"]) == 0)
            #expect(log.value(at: ["total"]) == 1)
        }
    }

    /// Pages of a read come from the API as usual, whatever the script plans meanwhile.
    @Test func readsArePagedAsUsual() async throws {
        try await withSandbox { sandbox in
            let (api, session) = dryRun(sandbox)
            let source = """
                local n = 0
                for task in refonte.tasks.iter { project = "Street Scenes", page_size = 100 } do
                  n = n + 1
                  if n == 150 then refonte.tasks.cancel { task_id = task.task_id } end
                end
                assert(n > 150, "saw " .. n)
                """
            try await runLua(source, connection: api)
            let plan = try #require(session.plan())
            #expect(plan.writes.count == 1)
            // The cancel came on the second page: the pages after it are marked as read after a
            // planned write.
            #expect(plan.reads.count >= 3)
            #expect(plan.reads.map(\.afterWrite).prefix(3) == [false, false, true])
            #expect(try await requestLog(of: sandbox).value(at: ["writes"]) == 0)
        }
    }
}
