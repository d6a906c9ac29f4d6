import RefonteAPI
import Testing

/// Every operation of the catalog, called from Lua over HTTP against a live sandbox.
@Suite("Every operation from Lua")
struct EveryOperationTests {
    @Test("every catalog operation has a scenario")
    func everyOperationHasAScenario() {
        let missing = Catalog.operations.map(\.id).filter { operationScenarios[$0] == nil }
        #expect(missing.isEmpty, "operations without an end-to-end scenario: \(missing)")
        let unknown = operationScenarios.keys.filter { Catalog.operation(id: $0) == nil }
        #expect(unknown.isEmpty, "scenarios for operations the catalog lacks: \(unknown)")
    }

    @Test("runs against the sandbox", arguments: Catalog.operations.map(\.id))
    func operation(_ id: String) async throws {
        let scenario = try #require(operationScenarios[id])
        try await withSandbox { sandbox in
            try await runLua(luaPrelude + scenario, arguments: [id], connection: connection(to: sandbox))
        }
    }
}
