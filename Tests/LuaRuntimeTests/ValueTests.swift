import LuaRuntime
import Testing

@Suite struct ValueTests {
    @Test func valuesCrossBothWays() throws {
        let state = try LuaState()
        let values: [LuaValue] = [
            .nil, true, false, 0, 42, .integer(.min), .integer(.max), 1.0, 0.5, -2.25,
            .string(LuaString(bytes: [0xFF, 0x00, 0x41])), "héllo",
            .table(.array([1, "two", 3.0])),
            .table(.map(["a": 1, 10: "ten", 1.5: true])),
            .table(.array([.table(.map([:])), .table(.array([true]))])),
        ]
        let identity = try state.load("return ...", chunkName: "=identity")
        let back = try state.call(identity, values)
        #expect(back == values)
    }

    @Test func integersAndFloatsStayApart() throws {
        let state = try LuaState()
        let types = try state.call(
            try state.load("return math.type(...), math.type(select(2, ...))", chunkName: "=t"),
            [3, 3.0]
        )
        #expect(types == ["integer", "float"])
    }

    @Test func swiftFunctionsAreCallableFromLuaAndLuaFunctionsFromSwift() throws {
        let state = try LuaState()
        let add = LuaSwiftFunction("add") { call in
            try call.returning(.integer(try call.integer(1, "a") + call.integer(2, "b")))
        }
        try state.setGlobal("add", .function(.swift(add)))
        let results = try state.call(
            try state.load("return add(2, 40), function(x) return x * 2 end", chunkName: "=t")
        )
        #expect(results.first == 42)
        guard case .function(let double) = results.last else {
            Issue.record("expected a function, got \(String(describing: results.last))")
            return
        }
        #expect(try state.call(double, [21]) == [42])
    }

    @Test func aBadArgumentNamesTheFunctionAndTheArgument() throws {
        let state = try LuaState()
        let add = LuaSwiftFunction("add") { call in try call.returning(.integer(try call.integer(1, "a"))) }
        try state.setGlobal("add", .function(.swift(add)))
        let results = try state.call(
            try state.load("return pcall(function() return add('x') end)", chunkName: "=t")
        )
        #expect(results == [false, "t:1: add: argument #1 (a) must be an integer, got string"])
    }

    @Test func boxesAreFreedByTheGarbageCollector() throws {
        let state = try LuaState()
        let counter = LiveCounter()
        do {
            let tracked = Tracked(counter)
            try state.setGlobal(
                "f",
                .function(
                    .swift(
                        LuaSwiftFunction("f") { _ in
                            _ = tracked; return .none
                        }
                    )
                )
            )
        }
        #expect(counter.count == 1)
        try state.call(try state.load("f = nil; collectgarbage(); collectgarbage()", chunkName: "=t"))
        #expect(counter.count == 0)
    }
}

@Suite struct LifetimeTests {
    @Test func closingTwiceIsHarmlessAndReleasesEveryBox() throws {
        let counter = LiveCounter()
        let state = try LuaState()
        do {
            let tracked = Tracked(counter)
            try state.setGlobal(
                "f",
                .function(
                    .swift(
                        LuaSwiftFunction("f") { _ in
                            _ = tracked; return .none
                        }
                    )
                )
            )
            try state.setGlobal(
                "g",
                .function(
                    .swift(
                        LuaSwiftFunction("g") { _ in
                            _ = tracked; return .none
                        }
                    )
                )
            )
        }
        #expect(counter.count == 1)
        state.close()
        state.close()
        #expect(state.isClosed)
        #expect(counter.count == 0)
    }
}
