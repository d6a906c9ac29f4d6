import LuaRuntime
import Testing

@Suite(.serialized) struct ErrorTests {
    @Test func aLuaErrorCarriesItsMessageAndTraceback() async throws {
        let state = try LuaState()
        let chunk = try state.load(
            "local function f()\n  error('boom')\nend\nf()\n",
            chunkName: "@script.lua"
        )
        await #expect {
            _ = try await state.run(chunk)
        } throws: { error in
            guard let error = error as? LuaError else { return false }
            return error.kind == .runtime && error.message == "script.lua:2: boom"
                && error.traceback.contains("script.lua:4") && error.traceback.hasPrefix("stack traceback:")
        }
    }

    @Test func aSyntaxErrorIsReportedAsSuch() throws {
        let state = try LuaState()
        #expect {
            try state.load("x = = 1", chunkName: "=bad")
        } throws: { error in
            (error as? LuaError)?.kind == .syntax && "\(error)".contains("bad:1:")
        }
    }

    @Test func aSwiftErrorBecomesALuaErrorThatPcallCatches() throws {
        let state = try LuaState()
        try state.setGlobal(
            "fail",
            .function(.swift(LuaSwiftFunction("fail") { _ in throw Failure(description: "it broke") }))
        )
        let results = try state.call(try state.load("return pcall(function() fail() end)", chunkName: "=t"))
        #expect(results == [false, "t:1: fail: it broke"])
    }

    @Test func errorValuesThatAreTablesStayTables() async throws {
        let state = try LuaState()
        let results = try await run(state, "local ok, e = pcall(error, {code = 1}); return type(e), e.code")
        #expect(results == ["table", 1])
    }

    /// If a longjmp skipped a Swift frame, the object it held would never be released and the
    /// memory it allocated would grow with every call.
    @Test func manySwiftErrorsUnderPcallLeaveMemoryFlat() throws {
        let state = try LuaState()
        let counter = LiveCounter()
        try state.setGlobal(
            "fail",
            .function(
                .swift(
                    LuaSwiftFunction("fail") { _ in
                        let held = Tracked(counter)
                        throw Failure(description: "failure \(ObjectIdentifier(held).hashValue)")
                    }
                )
            )
        )
        let loop = try state.load(
            "for i = 1, ... do assert(not pcall(fail)) end collectgarbage() return collectgarbage('count')",
            chunkName: "=loop"
        )
        let warm = try state.call(loop, [1000])
        let after = try state.call(loop, [100_000])
        #expect(counter.count == 0)
        guard case .number(let warmKB) = warm.first, case .number(let afterKB) = after.first else {
            Issue.record("collectgarbage('count') returned \(warm) and \(after)")
            return
        }
        #expect(afterKB - warmKB < 64)
    }
}
