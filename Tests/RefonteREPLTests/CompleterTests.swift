import Testing

@testable import RefonteREPL

@Suite struct CompleterTests {
    func completer() throws -> (Completer, REPLSession) {
        let (session, _) = try makeSession()
        return (Completer(state: session.state, projects: nil), session)
    }

    @Test func refontePathsComeFromTheCatalog() throws {
        let (completer, _) = try completer()
        #expect(completer.complete("refonte.stu") == Completion(insert: "dio."))
        #expect(completer.complete("refonte.teams.inv") == Completion(insert: "ite"))
        #expect(completer.complete("refonte.tasks.it") == Completion(insert: "er"))
        let teams = completer.complete("refonte.teams.")
        #expect(teams.choices == ["invite", "list", "set_role"])
    }

    @Test func argumentNamesOfTheOperation() throws {
        let (completer, _) = try completer()
        #expect(completer.complete("refonte.teams.invite{").choices == ["emails", "role"])
        #expect(completer.complete("refonte.teams.invite{ ro") == Completion(insert: "le = "))
        #expect(
            completer.complete(#"refonte.teams.invite{ emails = { "a@b.co" }, "#)
                == Completion(insert: "role = ")
        )
    }

    @Test func globalsLocalsAndLiveTables() async throws {
        let (completer, session) = try completer()
        #expect(completer.complete("prin") == Completion(insert: "t"))
        #expect(completer.complete("coroutine.wr") == Completion(insert: "ap"))
        try await session.enter("local inventory = { apples = 3, pears = { ripe = true } }")
        #expect(completer.complete("invent") == Completion(insert: "ory."))
        #expect(completer.complete("inventory.pe") == Completion(insert: "ars."))
        #expect(completer.complete("inventory.pears.r") == Completion(insert: "ipe"))
        #expect(completer.complete("string.up") == Completion(insert: "per"))
        try await session.enter("name = 'x'")
        #expect(completer.complete("name:up") == Completion(insert: "per("))
    }

    @Test func liveTablesAreReadWithoutTheirMetamethods() async throws {
        let (completer, session) = try completer()
        try await session.enter(
            "trap = setmetatable({ real = 1 }, { __index = function() error('ran') end, __pairs = function() error('ran') end })"
        )
        #expect(completer.complete("trap.re") == Completion(insert: "al"))
        #expect(completer.complete("trap.zz") == .none)
    }

    @Test func dotCommandsAndOperationIds() throws {
        let (completer, _) = try completer()
        #expect(completer.complete(".he") == Completion(insert: "lp "))
        #expect(completer.complete(".help teams.inv") == Completion(insert: "ite"))
        #expect(completer.complete(".pro") == Completion(insert: "file"))
    }
}
