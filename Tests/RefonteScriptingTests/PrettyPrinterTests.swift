import LuaRuntime
import Testing

@testable import RefonteScripting

/// `pp` and the REPL's echo: what a value looks like, and that printing cannot be turned
/// against the host.
@Suite struct PrettyPrinterTests {
    /// Renders the global `v` after running `setup`.
    func render(
        _ setup: String,
        width: Int = 80,
        depth: Int? = nil,
        items: Int? = nil,
        label: String? = nil,
        colour: Bool = false,
        limits: LuaLimits = LuaLimits()
    ) async throws -> String {
        let state = try scriptState(limits: limits)
        try await evaluate(state, setup)
        var options = PrettyOptions()
        options.width = width
        options.colour = colour
        if let depth { options.depth = depth }
        if let items { options.items = items }
        let stack = state.stack
        stack.pushGlobals()
        stack.rawGet(-1, field: "v")
        defer { stack.pop(2) }
        return try PrettyPrinter.render(stack, at: -1, options: options, label: label)
    }

    @Test func scalarsLookAsLuaWritesThem() async throws {
        #expect(try await render("v = 42") == "42\n")
        #expect(try await render("v = 2.5") == "2.5\n")
        #expect(try await render("v = 3.0") == "3.0\n")
        #expect(try await render("v = 1e100") == "1e+100\n")
        #expect(try await render("v = 1/0") == "inf\n")
        #expect(try await render("v = true") == "true\n")
        #expect(try await render("v = nil") == "nil\n")
        #expect(try await render(#"v = "say \"hi\"\n\tbye\0""#) == #""say \"hi\"\n\tbye\0""# + "\n")
        #expect(try await render(#"v = "caf\xC3\xA9 \xFF""#) == #""caf\195\169 \255""# + "\n")
        #expect(try await render("v = json.null") == "json.null\n")
        #expect(try await render("v = print") == "<function>\n")
    }

    @Test func keysAreSortedNumbersFirstAndNamesBare() async throws {
        #expect(
            try await render(#"v = { zeta = 1, alpha = 2, [10] = "x", "a", "b", ["two words"] = true }"#)
                == #"{ "a", "b", [10] = "x", alpha = 2, ["two words"] = true, zeta = 1 }"# + "\n"
        )
    }

    @Test func aTableThatDoesNotFitGoesOneEntryALine() async throws {
        let text = try await render(
            #"v = { name = "kitchen", params = { instruction = "Label every fruit you can see", colour = true } }"#,
            width: 50
        )
        #expect(
            text == """
                {
                  name = "kitchen",
                  params = {
                    colour = true,
                    instruction = "Label every fruit you can see",
                  },
                }

                """
        )
    }

    @Test func depthItemsCyclesAndNulls() async throws {
        #expect(
            try await render("v = { a = { b = { c = { d = {} } } } }", depth: 2) == "{ a = { b = {…} } }\n"
        )
        #expect(
            try await render("v = {} for i = 1, 10 do v[i] = i end", items: 3) == "{ 1, 2, 3, … 7 more }\n"
        )
        #expect(
            try await render("v = { name = 'x' } v.self = v") == #"{ name = "x", self = <cycle> }"# + "\n"
        )
        #expect(try await render("v = { due = json.null }") == "{ due = json.null }\n")
        #expect(try await render("v = {}") == "{}\n")
    }

    @Test func anArrayOfRecordsBecomesColumnsWhenTheyFit() async throws {
        let setup = """
            v = {
              { email = "ana@example.com", role = "labeler", status = "active", id = 7 },
              { email = "bo@example.com", role = "manager", status = "invited", id = 12, note = json.null },
            }
            """
        #expect(
            try await render(setup, width: 80, label: "_1") == """
                _1 =
                  #  id  email            note       role     status
                  1   7  ana@example.com             labeler  active
                  2  12  bo@example.com   json.null  manager  invited

                """
        )
        // Too narrow for the columns: one record a line, as any table.
        let narrow = try await render(setup, width: 40)
        #expect(narrow.hasPrefix("{\n  {\n    email = \"ana@example.com\","))
    }

    @Test func colourMarksEachKindOnlyWhenAsked() async throws {
        let coloured = try await render(#"v = { n = 1, s = "x", z = json.null }"#, colour: true)
        #expect(coloured.contains("\u{1B}[33m1\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[32m\"x\"\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[1;35mjson.null\u{1B}[0m"))
        #expect(!(try await render(#"v = { n = 1 }"#)).contains("\u{1B}"))
    }

    @Test func aDryRunPlaceholderIsShownApartFromAString() async throws {
        let state = try scriptState()
        let stack = state.stack
        stack.newTable()
        PlaceholderValue.push(marker: "(known after apply #0123abcd/w1/task_id)", on: stack)
        stack.rawSet(-2, field: "task_id")
        stack.push("(known after apply)")
        stack.rawSet(-2, field: "text")
        defer { stack.pop() }
        var options = PrettyOptions()
        let plain = try PrettyPrinter.render(stack, at: -1, options: options)
        #expect(plain == #"{ task_id = (known after apply), text = "(known after apply)" }"# + "\n")
        options.colour = true
        let coloured = try PrettyPrinter.render(stack, at: -1, options: options)
        #expect(coloured.contains("\u{1B}[3;36m(known after apply)\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[32m\"(known after apply)\"\u{1B}[0m"))
    }

    @Test func hostileMetamethodsNeverRun() async throws {
        // Each metamethod would loop forever or raise; the printer reads the table raw.
        let text = try await render(
            """
            v = setmetatable({ visible = 1 }, {
              __name = "trap",
              __index = function() while true do end end,
              __pairs = function() error("pairs ran") end,
              __tostring = function() while true do end end,
              __len = function() error("len ran") end,
            })
            """
        )
        #expect(text == "<trap>{ visible = 1 }\n")
    }

    @Test func printingHonoursTheMemoryLimit() async throws {
        let cap = 16 << 20
        await #expect(throws: LuaLimitReached.self) {
            // 40 tables of 100 strings of 2 KB: past the cap once rendered, well under it as Lua data.
            _ = try await render(
                """
                local s = ("x"):rep(2000)
                v = {}
                for i = 1, 40 do local t = {} for j = 1, 100 do t[j] = s .. j end v[i] = t end
                """,
                items: 1000,
                limits: LuaLimits(maxMemory: cap)
            )
        }
    }
}
