import LuaRuntime
import Testing

/// `os.exit(code)` ends the run with that code without ending the process: the script unwinds,
/// nothing catches it, and every `<close>` variable still pending is closed.
@Suite struct ExitTests {
    /// The exit code the run of `source` ended with, nil when it ended otherwise.
    private func exitCode(_ state: LuaState, _ source: String) async -> Int32? {
        do {
            try await run(state, source)
            return nil
        } catch let error as LuaError {
            if case .exit(let code) = error.kind { return code }
            Issue.record("ended with \(error)")
            return nil
        } catch {
            Issue.record("ended with \(error)")
            return nil
        }
    }

    @Test(arguments: [
        "os.exit(7)",
        "pcall(os.exit, 7)",
        "xpcall(os.exit, function() return 'handled' end, 7)",
        "coroutine.wrap(function() pcall(os.exit, 7) end)()",
        "print(coroutine.resume(coroutine.create(function() os.exit(7) end)))",
    ])
    func exitEndsTheRunWithItsCodeThroughPcallXpcallAndCoroutines(wrapper: String) async throws {
        let state = try LuaState()
        #expect(await exitCode(state, "\(wrapper)\nreached = true\nerror('went on')") == 7)
        #expect(try state.global("reached") == .nil)
    }

    @Test func pendingCloseVariablesAreClosedInOrderWithTheirHandlersAbleToUsePcall() async throws {
        let state = try LuaState()
        let code = await exitCode(
            state,
            """
            closed = {}
            local function closer(name)
              return setmetatable({}, { __close = function()
                -- pcall inside a handler still works for the handler's own errors
                local ok = pcall(error, 'inner')
                closed[#closed + 1] = name .. (ok and '!' or '')
              end })
            end
            local outer <close> = closer('outer')
            local function f()
              local inner <close> = closer('inner')
              os.exit(0)
            end
            f()
            """
        )
        #expect(code == 0)
        #expect(try state.global("closed") == .table(.array([.string("inner"), .string("outer")])))
        #expect(state.exitRequested == 0)
    }

    @Test func anExitInASpawnedTaskEndsEveryTaskAndClosesTheirVariables() async throws {
        let state = try LuaState()
        try installSleep(in: state)
        let started = ContinuousClock.now
        let code = await exitCode(
            state,
            """
            closed = {}
            local function closer(name)
              return setmetatable({}, { __close = function() closed[#closed + 1] = name end })
            end
            spawn(function()
              local waiting <close> = closer('sleeper')
              sleep(3600000)
            end)
            local t = spawn(function() sleep(10) os.exit(12) end)
            local main <close> = closer('main')
            t:wait()
            error('not reached')
            """
        )
        #expect(code == 12)
        // Well under the sleeper's hour: the exit did not wait for it.
        #expect(ContinuousClock.now - started < .seconds(1800))
        guard case .table(.array(let names)) = try state.global("closed") else {
            Issue.record("closed is \(try state.global("closed"))")
            return
        }
        #expect(Set(names) == [.string("sleeper"), .string("main")])
    }
}
