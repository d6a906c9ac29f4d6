import Logging
import LuaRuntime
import RefonteScripting
import Testing

/// What issue 4 will do: a `refonte` table whose functions wait for the host and get JSON back.
struct FakeAPI: ScriptExtension {
    func install(in context: ScriptContext) throws {
        let get = LuaSwiftFunction("refonte.teams.get") { call in
            let id = try call.integer(1, "id")
            return .suspend(
                LuaSuspension(
                    work: { () -> Result<[UInt8], FakeAPIError> in
                        try? await Task.sleep(for: .milliseconds(1))
                        return id > 0
                            ? .success(Array(#"{"id":\#(id),"members":[],"tags":{}}"#.utf8))
                            : .failure(FakeAPIError())
                    },
                    resume: { call, response in
                        try LuaJSONDecoder.decode(try response.get(), onto: call.stack)
                        return .results(1)
                    }
                )
            )
        }
        let canRead = context.permissions.denialToRead("/etc/hostname", operation: "csv.read") == nil
        try context.state.setGlobal(
            "refonte",
            .table(
                .map(["teams": .table(.map(["get": .function(.swift(get))])), "can_read": .boolean(canRead)])
            )
        )
    }
}

struct FakeAPIError: Error, CustomStringConvertible {
    var description: String { "404 not_found: no such team" }
}

@Suite struct ExtensionTests {
    @Test func anExtensionsHostCallsDecodeJSONIntoTheWaitingCoroutine() async throws {
        let state = try LuaState()
        try ScriptEnvironment.install(
            in: state,
            permissions: ScriptPermissions(readablePaths: ["/etc"]),
            packagePath: "./?.lua",
            extensions: [FakeAPI()]
        )
        let results = try await evaluate(
            state,
            """
            local team = refonte.teams.get(7)
            local ok, err = pcall(function() local t = refonte.teams.get(-1) return t end)
            return team.id, json.encode(team), ok, err, refonte.can_read
            """
        )
        #expect(
            results == [
                7, #"{"id":7,"members":[],"tags":{}}"#, false,
                "test:2: refonte.teams.get: 404 not_found: no such team", true,
            ]
        )
    }
}
