import Dispatch
import LuaRuntime
import Testing

/// `LuaInterrupter` (the REPL's Ctrl-C) and going on with a state after a stop (`recover`).
@Suite struct InterruptTests {
    /// Interrupts `state` from a thread outside Swift's concurrency pool once `delay` has
    /// passed, as the REPL's Ctrl-C thread does: Lua code that loops holds a pool thread, and
    /// tests running side by side may hold them all.
    func interrupt(_ state: LuaState, after delay: Duration) {
        let interrupter = state.interrupter
        let (seconds, attoseconds) = delay.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) {
            interrupter.interrupt()
        }
    }

    @Test func anInterruptStopsALoopThatPcallWouldCatch() async throws {
        let state = try LuaState(limits: LuaLimits(interruptible: true))
        try await run(state, "kept = 'still here'")
        interrupt(state, after: .milliseconds(100))
        await #expect {
            _ = try await run(
                state,
                "while true do pcall(function() while true do end end) end reached = true"
            )
        } throws: { error in
            (error as? LuaError)?.kind == .interrupted
        }
        #expect(state.wasInterrupted)
        state.recover()
        #expect(!state.wasInterrupted)
        #expect(try await run(state, "return kept, reached, 1 + 1") == ["still here", nil, 2])
    }

    @Test func anInterruptCancelsTheHostWorkEveryTaskAwaits() async throws {
        let state = try LuaState(limits: LuaLimits(interruptible: true))
        try installSleep(in: state)
        interrupt(state, after: .milliseconds(200))
        let started = ContinuousClock.now
        await #expect {
            _ = try await run(state, "spawn(function() sleep(60000) end) sleep(60000)")
        } throws: { error in
            (error as? LuaError)?.kind == .interrupted
        }
        // Far below the minute the sleeps would take: they were cancelled, not waited for.
        #expect(ContinuousClock.now - started < .seconds(30))
        state.recover()
        #expect(state.keptTaskCount == 0)
        #expect(try await run(state, "sleep(1) return 'again'") == ["again"])
    }

    @Test func anInterruptInsideACoroutineTheScriptResumesStopsItToo() async throws {
        let state = try LuaState(limits: LuaLimits(interruptible: true))
        interrupt(state, after: .milliseconds(100))
        await #expect {
            _ = try await run(
                state,
                """
                local co = coroutine.wrap(function() while true do end end)
                while true do pcall(co) end
                """
            )
        } throws: { error in
            (error as? LuaError)?.kind == .interrupted
        }
    }

    @Test func aStateThatIsNotInterruptibleIgnoresInterrupts() async throws {
        let state = try LuaState()
        #expect(state.interrupter.interrupt())
        #expect(
            try await run(state, "local n = 0 for i = 1, 100000 do n = n + i end return n") == [5_000_050_000]
        )
    }

    @Test func anInterruptThatComesBetweenRunsIsForgottenByTheNextClock() async throws {
        let state = try LuaState(limits: LuaLimits(interruptible: true))
        state.interrupter.interrupt()
        #expect(state.interrupter.isPending)
        #expect(state.interrupter.interrupt() == false)
        state.resetScriptClock()
        #expect(!state.interrupter.isPending)
        #expect(
            try await run(state, "local n = 0 for i = 1, 100000 do n = n + i end return n") == [5_000_050_000]
        )
    }

    @Test func eachRunGetsTheWholeTimeoutAfterResetAndAStopIsRecovered() async throws {
        let state = try LuaState(limits: LuaLimits(timeout: .milliseconds(500)))
        // Short runs, each with a clock of its own, until they add up to twice the timeout.
        var total = Duration.zero
        while total < .seconds(1) {
            state.resetScriptClock()
            #expect(state.scriptTime == .zero)
            try await run(state, "for i = 1, 1e6 do end")
            total += state.scriptTime
        }
        state.resetScriptClock()
        await #expect {
            _ = try await run(state, "while true do end")
        } throws: { error in
            (error as? LuaError)?.kind == .limit(.time(.milliseconds(500)))
        }
        state.recover()
        state.resetScriptClock()
        #expect(try await run(state, "return 'on'") == ["on"])
    }

    @Test func aMemoryStopIsRecoveredOnceTheGarbageIsCollected() async throws {
        let cap = 8 << 20
        let state = try LuaState(limits: LuaLimits(maxMemory: cap))
        await #expect {
            _ = try await run(state, "local t = {} for i = 1, 1e8 do t[i] = ('x'):rep(100) .. i end")
        } throws: { error in
            (error as? LuaError)?.kind == .limit(.memory(bytes: cap))
        }
        state.recover()
        #expect(state.memoryInUse < cap)
        #expect(try await run(state, "return #('x'):rep(1000)") == [1000])
    }
}
