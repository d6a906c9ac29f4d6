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

    /// The host work of `wait()`: an hour's wait that counts how often it was cancelled.
    func installWait(in state: LuaState, cancellations: LiveCounter) throws {
        let wait = LuaSwiftFunction("wait") { _ in
            .suspend(
                LuaSuspension(
                    work: {
                        do {
                            try await Task.sleep(for: .seconds(3600))
                        } catch {
                            cancellations.add(1)
                        }
                    },
                    resume: { _, _ in .none }
                )
            )
        }
        try state.setGlobal("wait", .function(.swift(wait)))
    }

    // The bound only ends the test should the work never be cancelled (it would wait an hour).
    @Test(.timeLimit(.minutes(5))) func anInterruptCancelsTheHostWorkEveryTaskAwaits() async throws {
        let state = try LuaState(limits: LuaLimits(interruptible: true))
        let cancellations = LiveCounter()
        try installWait(in: state, cancellations: cancellations)
        interrupt(state, after: .milliseconds(200))
        await #expect {
            _ = try await run(state, "spawn(function() wait() end) wait()")
        } throws: { error in
            (error as? LuaError)?.kind == .interrupted
        }
        // Both waits, the main chunk's and the spawned task's, were cancelled, not waited out.
        #expect(cancellations.count == 2)
        state.recover()
        #expect(state.keptTaskCount == 0)
        try installSleep(in: state)
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
