import Testing

@testable import RefonteREPL

@Suite struct CompletionContextTests {
    @Test func namesAndMembers() {
        #expect(CompletionContext("pri") == .name(partial: "pri"))
        #expect(CompletionContext("x = ") == .name(partial: ""))
        #expect(CompletionContext("refonte.stu") == .member(path: ["refonte"], partial: "stu", method: false))
        #expect(
            CompletionContext("for t in refonte.tasks.")
                == .member(path: ["refonte", "tasks"], partial: "", method: false)
        )
        #expect(CompletionContext("task:wa") == .member(path: ["task"], partial: "wa", method: true))
        #expect(CompletionContext("f().x") == .nothing)
        #expect(CompletionContext("t[1].na") == .nothing)
        #expect(CompletionContext("x = 12") == .nothing)
    }

    @Test func argumentNamesInsideAnOperationsTable() {
        #expect(
            CompletionContext("refonte.teams.invite{")
                == .argument(operation: "teams.invite", partial: "", given: [])
        )
        #expect(
            CompletionContext("refonte.teams.invite({ ro")
                == .argument(operation: "teams.invite", partial: "ro", given: [])
        )
        #expect(
            CompletionContext(#"refonte.teams.invite { emails = { "a@b.co" }, "#)
                == .argument(operation: "teams.invite", partial: "", given: ["emails"])
        )
        #expect(
            CompletionContext("for t in refonte.tasks.iter{ st")
                == .argument(operation: "tasks.list", partial: "st", given: [])
        )
        // Inside a nested table, or at a value's place, it is not an argument name.
        #expect(CompletionContext("refonte.teams.invite{ emails = { ") == .name(partial: ""))
        #expect(CompletionContext("refonte.teams.invite{ role = la") == .name(partial: "la"))
        #expect(CompletionContext("refonte.nothing.here{ ") == .name(partial: ""))
    }

    @Test func projectNamesInsideTheirString() {
        #expect(CompletionContext(#"refonte.tasks.list{ project = "kit"#) == .projectName(partial: "kit"))
        #expect(CompletionContext(#"p = { project = '"#) == .projectName(partial: ""))
        #expect(
            CompletionContext(#"refonte.studio.assignments.add{ projects = { "a", "b"#)
                == .projectName(partial: "b")
        )
        #expect(CompletionContext(#"x = "kit"#) == .nothing)
        #expect(CompletionContext("s = [[ project = \"") == .nothing)
    }
}
