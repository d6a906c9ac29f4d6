import RefonteAPI
import Testing

@testable import RefonteSandbox

/// The sandbox starts only when handlers and catalog operations match one to one.
@Suite struct HandlerCoverageTests {
    private let ids = Catalog.operations.map(\.id)
    private let noop: OperationHandler = { _, _ in [] }

    @Test func theRealTableMatchesTheCatalogExactly() throws {
        let table = try HandlerTable.make(for: ids)
        #expect(Set(table.keys) == Set(ids))
        #expect(HandlerTable.declared.count == ids.count)
    }

    @Test func anOperationWithoutHandlerIsRefused() {
        do {
            _ = try HandlerTable.make(for: ids + ["teams.vanish"])
            Issue.record("an operation with no handler was accepted")
        } catch {
            #expect(error.description.contains("no handler for: teams.vanish"))
        }
        let withoutInvite = HandlerTable.declared.filter { $0.id != "teams.invite" }
        #expect(throws: SandboxStartupError.self) { try HandlerTable.make(for: ids, from: withoutInvite) }
    }

    @Test func aHandlerWithoutOperationIsRefused() {
        do {
            _ = try HandlerTable.make(for: ids, from: HandlerTable.declared + [("teams.vanish", noop)])
            Issue.record("a handler for no operation was accepted")
        } catch {
            #expect(error.description.contains("does not declare: teams.vanish"))
        }
        // A catalog that lost an operation leaves its handler serving nothing.
        do {
            _ = try HandlerTable.make(for: ids.filter { $0 != "files.import" })
            Issue.record("a handler whose operation is gone was accepted")
        } catch {
            #expect(error.description.contains("does not declare: files.import"))
        }
    }

    @Test func twoHandlersForOneOperationAreRefused() {
        do {
            _ = try HandlerTable.make(for: ids, from: HandlerTable.declared + [("teams.list", noop)])
            Issue.record("a second handler for teams.list was accepted")
        } catch {
            #expect(error.description.contains("more than one handler: teams.list"))
        }
    }
}
