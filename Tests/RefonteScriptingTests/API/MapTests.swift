import Foundation
import RefonteAPI
import RefonteSandbox
import Testing

/// `refonte.map` against a real sandbox over loopback HTTP: the order of results, the calls
/// really in flight at once (the sandbox's own count), errors per item, stop_on_error, and
/// the checks of its arguments.
@Suite("refonte.map")
struct MapTests {
    /// 2,000 `tasks.get` calls from 32 workers. The sandbox adds 20 ms to every answer, so the
    /// calls overlap as they would against a real API, and its request log reports the most it
    /// answered at once: never more than 32, and far more than the 8 connections the client
    /// used to keep.
    @Test func twoThousandItemsAtConcurrency32ComeBackInOrder() async throws {
        try await withSandbox(faults: Faults(latencyMilliseconds: 20)) { sandbox in
            let source = """
                local ids = {}
                for task in refonte.tasks.iter {} do ids[#ids + 1] = task.task_id end
                assert(#ids == 2000, "the demo seed has 2,000 tasks, got " .. #ids)
                -- Shuffled, so that input order is not the order the sandbox lists them in.
                local seed = 42
                for i = #ids, 2, -1 do
                  seed = (seed * 1103515245 + 12345) % 2147483648
                  local j = seed % i + 1
                  ids[i], ids[j] = ids[j], ids[i]
                end
                local results, errors, summary = refonte.map(ids, function(id, i)
                  local task = refonte.tasks.get { task_id = id }
                  return { id = task.task_id, i = i }
                end, { concurrency = 32 })
                assert(next(errors) == nil, "no item should fail")
                assert(summary.succeeded == 2000 and summary.failed == 0 and summary.not_started == 0)
                for i, id in ipairs(ids) do
                  assert(results[i].id == id and results[i].i == i, "result " .. i .. " is out of place")
                end
                assert(#results == 2000)
                """
            try await runLua(source, connection: connection(to: sandbox))
            let log = try await requestLog(of: sandbox)
            guard case .integer(let gets)? = log.value(at: ["by_operation", "tasks.get"]),
                case .integer(let peak)? = log.value(at: ["peak_in_flight"])
            else {
                Issue.record("unexpected request log \(log)")
                return
            }
            #expect(gets == 2000)
            #expect(peak <= 32, "more calls in flight than concurrency allows: \(peak)")
            #expect(peak >= 24, "the calls hardly overlapped: at most \(peak) at once")
        }
    }

    /// One item in 20 names a task that does not exist: each of those has no result and its
    /// error value in `errors`, and every other item still runs.
    @Test func errorsAreCollectedPerItem() async throws {
        try await withSandbox { sandbox in
            let source = """
                local ids = {}
                for task in refonte.tasks.iter { limit = 400 } do ids[#ids + 1] = task.task_id end
                local missing = {}
                for i = 20, #ids, 20 do
                  ids[i] = "no-such-task-" .. i
                  missing[i] = true
                end
                local results, errors, summary = refonte.map(ids, function(id)
                  return refonte.tasks.get { task_id = id }
                end, { concurrency = 16 })
                local failed = 0
                for i = 1, #ids do
                  if missing[i] then
                    failed = failed + 1
                    assert(results[i] == nil, "item " .. i .. " has a result")
                    local err = errors[i]
                    assert(type(err) == "table" and err.code == "not_found" and err.status == 404,
                      "item " .. i .. ": " .. tostring(err))
                    assert(err.operation == "tasks.get")
                  else
                    assert(errors[i] == nil, "item " .. i .. " failed: " .. tostring(errors[i]))
                    assert(results[i].task_id == ids[i])
                  end
                end
                assert(failed == 20, failed)
                assert(summary.failed == 20 and summary.succeeded == 380 and summary.not_started == 0)
                """
            try await runLua(source, connection: connection(to: sandbox))
        }
    }

    /// With stop_on_error, no item starts after the first failure; those already running
    /// finish and keep their results.
    @Test func stopOnErrorStartsNothingAfterTheFirstFailure() async throws {
        try await withSandbox(faults: Faults(latencyMilliseconds: 5)) { sandbox in
            let source = """
                local ids = {}
                for task in refonte.tasks.iter { limit = 200 } do ids[#ids + 1] = task.task_id end
                ids[10] = "no-such-task"
                local started, startedAtFailure = {}, nil
                local results, errors, summary = refonte.map(ids, function(id, i)
                  started[#started + 1] = i
                  local ok, result = pcall(refonte.tasks.get, { task_id = id })
                  if ok then return result end
                  -- Nothing yields between here and map seeing the error: no item may start later.
                  startedAtFailure = startedAtFailure or #started
                  error(result)
                end, { concurrency = 4, stop_on_error = true })
                assert(errors[10] and errors[10].code == "not_found", tostring(errors[10]))
                -- Item 10 starts after items 1 to 9; the others running when it fails finish.
                assert(#started >= 10, "started " .. #started .. " items")
                assert(#started == startedAtFailure, "started " .. #started .. " items, " .. startedAtFailure .. " when item 10 failed")
                assert(summary.failed == 1)
                assert(summary.succeeded == #started - 1)
                assert(summary.not_started == 200 - #started)
                for i = 1, 200 do
                  local ran = false
                  for _, s in ipairs(started) do ran = ran or s == i end
                  if not ran then assert(results[i] == nil and errors[i] == nil, "item " .. i) end
                  if ran and i ~= 10 then assert(results[i].task_id == ids[i], "item " .. i) end
                end
                """
            try await runLua(source, connection: connection(to: sandbox))
            let log = try await requestLog(of: sandbox)
            guard case .integer(let gets)? = log.value(at: ["by_operation", "tasks.get"]) else {
                Issue.record("unexpected request log \(log)")
                return
            }
            // How many were running when item 10 failed depends on the machine; the script
            // checked that none started after.
            #expect(gets >= 10 && gets < 200, "sent \(gets) tasks.get")
        }
    }

    /// Items that need no API call, an empty list, a function that returns nothing, and errors
    /// raised as plain strings.
    @Test func plainLuaWorkAndEdgeCases() async throws {
        try await withSandbox { sandbox in
            let source = """
                local results, errors, summary = refonte.map({}, function() error("never") end)
                assert(next(results) == nil and next(errors) == nil)
                assert(summary.succeeded == 0 and summary.not_started == 0)

                local squares = refonte.map({ 1, 2, 3, 4, 5 }, function(n) sleep(5 - n) return n * n end)
                assert(table.concat(squares, ",") == "1,4,9,16,25", table.concat(squares, ","))

                local _, errs = refonte.map({ "a", "b", "c" }, function(s, i)
                  if i == 2 then error("bad item " .. s) end
                end, { concurrency = 1 })
                assert(errs[1] == nil and errs[3] == nil)
                assert(type(errs[2]) == "string" and errs[2]:find("bad item b", 1, true), errs[2])
                """
            try await runLua(source, connection: connection(to: sandbox))
        }
    }

    /// Each refusal names refonte.map, the argument and what was expected, before any item runs.
    @Test(arguments: [
        ("refonte.map('x', print)", "refonte.map: argument 'items' must be a list", "got string"),
        ("refonte.map({}, 3)", "argument 'fn' must be a function", "got number"),
        ("refonte.map({}, print, 8)", "argument 'opts' must be a table", "got number"),
        (
            "refonte.map({}, print, { concurrency = 0 })",
            "'opts.concurrency' must be an integer from 1 to 256", "got 0"
        ),
        ("refonte.map({}, print, { concurrency = 257 })", "from 1 to 256", "got 257"),
        ("refonte.map({}, print, { concurrency = 2.5 })", "'opts.concurrency' must be an integer", "got 2.5"),
        (
            "refonte.map({}, print, { concurrency = '8' })", "'opts.concurrency' must be an integer",
            "got \"8\""
        ),
        (
            "refonte.map({}, print, { stop_on_error = 'yes' })", "'opts.stop_on_error' must be true or false",
            "got \"yes\""
        ),
        ("refonte.map({}, print, { label = '' })", "'opts.label' must be a non-empty string", "got \"\""),
        (
            "refonte.map({}, print, { concurency = 8 })", "unknown argument 'opts.concurency'",
            "did you mean 'concurrency'?"
        ),
        ("refonte.map({}, print, { 8 })", "unknown argument 'opts.[1]'", "concurrency, stop_on_error, label"),
    ])
    func badArgumentsAreRefusedWithTheirName(call: String, message: String, detail: String) async throws {
        try await withSandbox { sandbox in
            let source = """
                local ok, err = pcall(function() return \(call) end)
                assert(not ok, "accepted")
                assert(type(err) == "table" and err.code == "invalid_argument" and err.operation == "map", tostring(err))
                local text = tostring(err)
                assert(text:find(\(luaString(message)), 1, true), text)
                assert(text:find(\(luaString(detail)), 1, true), text)
                """
            try await runLua(source, connection: connection(to: sandbox))
        }
    }
}

/// `text` as a Lua string literal.
func luaString(_ text: String) -> String {
    JSONValue.string(text).jsonText
}
