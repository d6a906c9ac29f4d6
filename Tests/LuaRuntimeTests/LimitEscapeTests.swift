import LuaRuntime
import Testing

/// The places a limit used to be forgotten, in process (the watchdog, which ends the process,
/// is covered by the command line's adversarial suite).
@Suite struct LimitEscapeTests {
    static let cap = 8 << 20

    func expectMemoryLimit(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let state = try LuaState(limits: LuaLimits(maxMemory: Self.cap))
        try state.setGlobal("reached", .boolean(false))
        await #expect(sourceLocation: sourceLocation) {
            _ = try await run(state, source)
        } throws: { error in
            (error as? LuaError)?.kind == .limit(.memory(bytes: Self.cap))
        }
        #expect(
            try state.global("reached") == .boolean(false),
            "the script went on after the limit",
            sourceLocation: sourceLocation
        )
        #expect(state.peakMemory < Self.cap + (2 << 20), sourceLocation: sourceLocation)
    }

    @Test func oneAllocationOverTheCapCannotBeCaught() async throws {
        try await expectMemoryLimit("pcall(string.rep, 'x', 1e8) reached = true")
        try await expectMemoryLimit("xpcall(string.rep, function(e) reached = true return e end, 'x', 1e8)")
        try await expectMemoryLimit("coroutine.resume(coroutine.create(string.rep), 'x', 1e8) reached = true")
        try await expectMemoryLimit("load(function() return ('x'):rep(1e8) end) reached = true")
    }

    @Test func finalizersAllocateUnderTheCap() async throws {
        try await expectMemoryLimit(
            "setmetatable({}, {__gc = function() local t = {} for i = 1, 1e7 do t[i] = i end end}) collectgarbage() reached = true"
        )
    }

    @Test func finalizersAtCloseAllocateUnderTheCap() async throws {
        let state = try LuaState(limits: LuaLimits(maxMemory: Self.cap))
        try await run(
            state,
            "keep = setmetatable({}, {__gc = function() local t = {} for i = 1, 1e7 do t[i] = i end end})"
        )
        #expect(state.limitHit == nil)
        state.close()
        #expect(state.limitHit == .memory(bytes: Self.cap))
        #expect(state.peakMemory < Self.cap + (2 << 20))
    }

    @Test func aMessageHandlerDoesNotRunForALimit() async throws {
        let state = try LuaState(limits: LuaLimits(timeout: .milliseconds(100)))
        try state.setGlobal("handled", .integer(0))
        await #expect(throws: LuaError.self) {
            _ = try await run(
                state,
                "xpcall(function() while true do end end, function(e) handled = handled + 1 return e end)"
            )
        }
        #expect(state.limitHit == .time(.milliseconds(100)))
        #expect(try state.global("handled") == .integer(0))
    }

    @Test func anErrorDescriptionRunsUnderTheLimits() async throws {
        let state = try LuaState(limits: LuaLimits(timeout: .milliseconds(200)))
        await #expect {
            _ = try await run(
                state,
                "error(setmetatable({}, {__tostring = function() while true do end end}))"
            )
        } throws: { error in
            (error as? LuaError)?.kind == .limit(.time(.milliseconds(200)))
        }
    }

    @Test func aLongErrorDescriptionIsCut() async throws {
        let state = try LuaState()
        await #expect {
            _ = try await run(state, "error(('x'):rep(1e6))")
        } throws: { error in
            guard let error = error as? LuaError else { return false }
            return error.message.utf8.count < 9000 && error.message.hasSuffix("more bytes)")
        }
    }

    @Test func aFinalizerMayCallIntoSwift() async throws {
        // A bound function called from a finalizer runs with allocations that cannot fail, so
        // no longjmp crosses its frame, and the run goes on.
        let state = try LuaState(limits: LuaLimits(maxMemory: 32 << 20))
        let function = LuaSwiftFunction("make") { call in
            try call.returning(.string(String(repeating: "y", count: 1000)))
        }
        try state.setGlobal("make", .function(.swift(function)))
        let results = try await run(
            state,
            "for i = 1, 1000 do setmetatable({}, {__gc = function() made = (made or 0) + #make() end}) end collectgarbage() return made"
        )
        #expect(results == [.integer(1_000_000)])
    }

    @Test func hostWorkIsChargedToTheCap() async throws {
        let state = try LuaState(limits: LuaLimits(maxMemory: Self.cap))
        let hold = LuaSwiftFunction("hold") { call in
            let bytes = Int(try call.integer(1, "bytes"))
            guard call.stack.charge(bytes) else { throw LuaLimitReached() }
            call.stack.releaseCharge(bytes)
            return .none
        }
        try state.setGlobal("hold", .function(.swift(hold)))
        try await run(state, "hold(4e6)")
        await #expect {
            _ = try await run(state, "pcall(hold, 2e7)")
        } throws: { error in
            (error as? LuaError)?.kind == .limit(.memory(bytes: Self.cap))
        }
    }
}
