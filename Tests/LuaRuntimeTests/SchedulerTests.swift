import LuaRuntime
import Testing

@Suite struct SchedulerTests {
    @Test func aThousandSleepingTasksWaitAtTheSameTime() async throws {
        let state = try LuaState()
        try installSleep(in: state)
        let results = try await run(
            state,
            """
            local tasks = {}
            for i = 1, 1000 do tasks[i] = spawn(function(n) sleep(100) return n end, i) end
            local sum = 0
            for _, t in ipairs(tasks) do sum = sum + t:wait() end
            return sum
            """
        )
        #expect(results == [500_500])
        #expect(state.peakHostCallsInFlight == 1000)
    }

    /// Tasks nobody waits for and whose handles are gone do not keep their coroutines until
    /// the end of the run, whether they finished before or after the handle was collected.
    @Test func unwaitedTasksAreLetGoOnceTheirHandlesAreCollected() async throws {
        let state = try LuaState()
        try installSleep(in: state)
        let results = try await run(
            state,
            """
            for i = 1, 2000 do spawn(function() return i end) end
            for i = 1, 500 do spawn(function() sleep(5) return i end) end
            sleep(1)
            collectgarbage() collectgarbage()
            sleep(20)
            collectgarbage() collectgarbage()
            sleep(1)
            local kept = spawn(function() return 'kept' end)
            sleep(1)
            collectgarbage()
            sleep(1)
            return kept:wait()
            """
        )
        #expect(results == ["kept"])
        // Nothing is left, the main chunk included once its results are read: 2,502 tasks
        // would be without the release.
        #expect(state.keptTaskCount == 0)
    }

    @Test func aCollectedHandleStillReportsItsTasksFailure() async throws {
        let state = try LuaState()
        try installSleep(in: state)
        await #expect {
            _ = try await run(state, "spawn(function() error('lost') end) sleep(1) collectgarbage() sleep(1)")
        } throws: { error in
            "\(error)".contains("spawned task 2 failed and nobody waited for it: test:1: lost")
        }
    }

    @Test func aResumeStepPushesResultsIntoTheCoroutine() async throws {
        let state = try LuaState()
        try state.setGlobal(
            "fetch",
            .function(
                .swift(
                    LuaSwiftFunction("fetch") { call in
                        let key = try call.string(1, "key")
                        return .suspend(
                            LuaSuspension(
                                work: { "value of \(key)" },
                                resume: { call, text in
                                    if key == "bad" { throw Failure(description: "no such key") }
                                    return try call.returning(.string(text), 2)
                                }
                            )
                        )
                    }
                )
            )
        )
        let results = try await run(
            state,
            "local a, b = fetch('x'); local ok, e = pcall(function() return fetch('bad') end); return a, b, ok, e"
        )
        #expect(results == ["value of x", 2, false, "test:1: fetch: no such key"])
    }

    @Test func hostCallsWorkInsideCoroutinesTheScriptResumes() async throws {
        let state = try LuaState()
        try installSleep(in: state)
        let results = try await run(
            state,
            """
            local gen = coroutine.wrap(function()
              for i = 1, 3 do sleep(1) coroutine.yield(i) end
            end)
            local co = coroutine.create(function(x) sleep(1) local y = coroutine.yield(x + 1) sleep(1) return y * 2 end)
            local _, first = coroutine.resume(co, 1)
            local _, second = coroutine.resume(co, 10)
            return gen(), gen(), gen(), first, second
            """
        )
        #expect(results == [1, 2, 3, 2, 20])
    }

    @Test func aHostCallWhereLuaCannotYieldGivesAClearError() async throws {
        let state = try LuaState()
        try installSleep(in: state)
        let results = try await run(
            state,
            "local t = {3, 1, 2}; return pcall(table.sort, t, function(a, b) sleep(1) return a < b end)"
        )
        #expect(results.first == false)
        #expect("\(results.last ?? .nil)".contains("table.sort"))
    }

    @Test func waitRaisesTheTaskErrorAndUnwaitedFailuresFailTheRun() async throws {
        let state = try LuaState()
        try installSleep(in: state)
        let results = try await run(
            state,
            "local t = spawn(function() sleep(1) error({code = 7}) end); local ok, e = pcall(t.wait, t); return ok, e.code"
        )
        #expect(results == [false, 7])

        let other = try LuaState()
        await #expect {
            _ = try await run(other, "spawn(function() error('lost') end)")
        } throws: { error in
            "\(error)".contains("nobody waited") && "\(error)".contains("lost")
        }
    }

    @Test func yieldingOutsideACoroutineIsAnError() async throws {
        let state = try LuaState()
        await #expect {
            _ = try await run(state, "coroutine.yield(1)")
        } throws: { error in
            "\(error)".contains("outside a coroutine")
        }
    }
}

@Suite struct TaskHandleTests {
    @Test func severalWaitersAndRepeatedWaitsAllGetTheResults() async throws {
        let state = try LuaState()
        try installSleep(in: state)
        let results = try await run(
            state,
            """
            local shared = spawn(function() sleep(5) return 'r', 2 end)
            local a = spawn(function() return shared:wait() end)
            local b = spawn(function() sleep(10) return shared:wait() end)
            local c = spawn(function() return select(2, shared:wait()) end)
            local x, y = shared:wait()
            return a:wait(), b:wait(), c:wait(), x, y, select(2, shared:wait()), a:wait()
            """
        )
        #expect(results == ["r", "r", 2, "r", 2, 2, "r", 2])
    }

    @Test func misusedTaskFunctionsSayWhatTheyExpected() async throws {
        let state = try LuaState()
        let results = try await run(
            state,
            """
            local _, a = pcall(spawn, 5)
            local _, b = pcall(function() local t = spawn(print) t.wait({}) end)
            return a, b
            """
        )
        #expect(
            results == [
                "spawn: argument #1 (fn) must be a function, got number",
                "test:2: task:wait: expected a task (call it as task:wait()), got table",
            ]
        )
    }
}
