import LuaRuntime
import Testing

@Suite struct LimitTests {
    @Test func aTimeLimitCannotBeSwallowedByPcall() async throws {
        let state = try LuaState(limits: LuaLimits(timeout: .milliseconds(200)))
        await #expect {
            _ = try await run(state, "while true do pcall(function() while true do end end) end")
        } throws: { error in
            (error as? LuaError)?.kind == .limit(.time(.milliseconds(200)))
        }
    }

    @Test func aMemoryLimitCannotBeSwallowedByPcall() async throws {
        let state = try LuaState(limits: LuaLimits(maxMemory: 8 << 20))
        await #expect {
            _ = try await run(
                state,
                "local t = {} while true do pcall(function() for i = 1, 1e9 do t[#t + 1] = ('x'):rep(1000) .. i end end) end"
            )
        } throws: { error in
            (error as? LuaError)?.kind == .limit(.memory(bytes: 8 << 20))
        }
        #expect(state.peakMemory < 9 << 20)
    }

    /// Four 300 ms sleeps take longer than the 1 s budget, but only the script's own slices
    /// between them count.
    @Test func timeWaitingOnTheHostDoesNotCount() async throws {
        let state = try LuaState(limits: LuaLimits(timeout: .seconds(1)))
        try installSleep(in: state)
        let results = try await run(state, "for i = 1, 4 do sleep(300) end return 'done'")
        #expect(results == ["done"])
        #expect(state.scriptTime < .seconds(1))
    }

    @Test func aScriptWithinItsLimitsIsUnaffected() async throws {
        let state = try LuaState(limits: LuaLimits(timeout: .seconds(30), maxMemory: 64 << 20))
        let results = try await run(
            state,
            "local t = {} for i = 1, 1e5 do t[i] = i end collectgarbage() return #t"
        )
        #expect(results == [100_000])
    }
}
