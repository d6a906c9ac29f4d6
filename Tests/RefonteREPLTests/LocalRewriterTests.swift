import Testing

@testable import RefonteREPL

@Suite struct LocalRewriterTests {
    @Test func topLevelLocalsBecomeStoreAssignments() {
        #expect(LocalRewriter.rewrite("local x = 1") == "__refonte_local.x = 1")
        #expect(LocalRewriter.rewrite("local a, b = f()") == "__refonte_local.a, __refonte_local.b = f()")
        #expect(LocalRewriter.rewrite("local t") == "__refonte_local.t = nil")
        #expect(LocalRewriter.rewrite("local k <const> = 3") == "__refonte_local.k = 3")
        #expect(
            LocalRewriter.rewrite("local function f(n) return n end")
                == "__refonte_local.f = nil function f(n) return n end"
        )
        #expect(
            LocalRewriter.rewrite("local a = 1; local b = a + 1")
                == "__refonte_local.a = 1; __refonte_local.b = a + 1"
        )
    }

    @Test func localsInsideBlocksAndFunctionsStayLocal() {
        for source in [
            "do local x = 1 end",
            "function f() local y = 2 return y end",
            "for i = 1, 2 do local z = i end",
            "if true then local w = 1 elseif false then local v = 2 else local u = 3 end",
            "while false do local q = 1 end",
            "repeat local r = 1 until r",
            "g = function() local s = 1 end",
        ] {
            #expect(LocalRewriter.rewrite(source) == source, "\(source)")
        }
        #expect(
            LocalRewriter.rewrite("do local x = 1 end local y = 2")
                == "do local x = 1 end __refonte_local.y = 2"
        )
    }

    @Test func closedLocalsStringsAndCommentsAreLeftAlone() {
        #expect(LocalRewriter.rewrite("local f <close> = io.stdin") == "local f <close> = io.stdin")
        #expect(LocalRewriter.rewrite(#"print("local x = 1")"#) == #"print("local x = 1")"#)
        #expect(LocalRewriter.rewrite("-- local x = 1\nprint(1)") == "-- local x = 1\nprint(1)")
        #expect(LocalRewriter.rewrite("s = [[\nlocal x = 1\n]]") == "s = [[\nlocal x = 1\n]]")
    }
}
