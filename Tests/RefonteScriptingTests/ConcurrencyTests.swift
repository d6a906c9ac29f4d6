import LuaRuntime
import RefonteScripting
import Testing

@Suite struct ConcurrencyTests {
    /// The host starts every spawned task's sleep before awaiting any: all 1,000 are in flight
    /// at once (scripts/bench times it).
    @Test func aThousandCoroutinesSleepConcurrently() async throws {
        let state = try scriptState()
        let results = try await evaluate(
            state,
            """
            local tasks = {}
            for i = 1, 1000 do tasks[i] = spawn(function() sleep(100) return i end) end
            local sum = 0
            for _, t in ipairs(tasks) do sum = sum + t:wait() end
            return sum
            """
        )
        #expect(results == [500_500])
        #expect(state.peakHostCallsInFlight == 1000)
    }

    @Test func jsonDecodesInsideATaskAfterItWaited() async throws {
        let state = try scriptState(limits: LuaLimits(timeout: .seconds(10), maxMemory: 32 << 20))
        let results = try await evaluate(
            state,
            """
            local t = spawn(function(text) sleep(1) return json.decode(text).items[2] end, '{"items":[1,2,3]}')
            return t:wait()
            """
        )
        #expect(results == [2])
    }
}
