import RefonteAPI
import Testing

/// Every operation of the catalog, called from Lua against a live sandbox, over HTTP and over
/// HTTPS.
@Suite("Every operation from Lua")
struct EveryOperationTests {
    @Test("every catalog operation has a scenario")
    func everyOperationHasAScenario() {
        let missing = Catalog.operations.map(\.id).filter { operationScenarios[$0] == nil }
        #expect(missing.isEmpty, "operations without an end-to-end scenario: \(missing)")
        let unknown = operationScenarios.keys.filter { Catalog.operation(id: $0) == nil }
        #expect(unknown.isEmpty, "scenarios for operations the catalog lacks: \(unknown)")
    }

    @Test("runs against the sandbox", arguments: Catalog.operations.map(\.id), Wire.allCases)
    func operation(_ id: String, over wire: Wire) async throws {
        let scenario = try #require(operationScenarios[id])
        try await withSandbox(over: wire) { sandbox in
            try await runLua(luaPrelude + scenario, arguments: [id], connection: connection(to: sandbox))
        }
    }
}
