import Foundation
import Testing

/// Lua code the instruction hook cannot interrupt, or that runs where a limit used to be
/// forgotten. Each must end with exit 3 within --timeout plus a second (asserted loosely: the
/// suite runs beside others on two cores), naming the time limit.
@Suite("Attacks on --timeout")
struct TimeAttackTests {
    static let cases: [(String, String)] = [
        ("an xpcall message handler that loops", "xpcall(error, function() while true do end end)"),
        (
            "an xpcall handler that loops for the limit's own error",
            "xpcall(function() while true do end end, function() while true do end end)"
        ),
        (
            "a __gc that loops, run by collectgarbage",
            "setmetatable({}, {__gc = function() while true do end end}) collectgarbage()"
        ),
        (
            "a __gc that loops at the end of the run",
            "keep = setmetatable({}, {__gc = function() while true do end end})"
        ),
        (
            "a __gc that loops after the script failed",
            "keep = setmetatable({}, {__gc = function() while true do end end}) error('failed')"
        ),
        (
            "a __gc that loops, run by the collector during allocation",
            "setmetatable({}, {__gc = function() while true do end end}) for i = 1, 1e8 do local t = {i} end"
        ),
        (
            "a __gc that makes a new finalizable object each time, collected in a loop",
            "local mt = {} mt.__gc = function() setmetatable({}, mt) while true do end end setmetatable({}, mt) collectgarbage()"
        ),
        (
            "an error whose __tostring loops",
            "error(setmetatable({}, {__tostring = function() while true do end end}))"
        ),
        (
            "string.find with a backtracking pattern",
            "string.find(string.rep('a', 5000), string.rep('a-', 30) .. 'b')"
        ),
        (
            "string.match with a backtracking pattern",
            "string.match(string.rep('a', 5000), string.rep('.-', 30) .. 'b')"
        ),
        (
            "string.gsub with a backtracking pattern",
            "string.gsub(string.rep('a', 5000), string.rep('a*', 30) .. 'b', '')"
        ),
        (
            "string.gmatch with a backtracking pattern",
            "for _ in string.gmatch(string.rep('a', 5000), string.rep('a-', 30) .. 'b') do end"
        ),
        ("string.rep of an empty string a huge number of times", "string.rep('', 1e15)"),
        ("table.move over a huge range of nils", "table.move({}, 1, 1e15, 2)"),
        (
            "a __close handler that loops",
            "do local x <close> = setmetatable({}, {__close = function() while true do end end}) end"
        ),
        (
            "coroutine.close running a looping __close",
            """
            local co = coroutine.create(function()
              local x <close> = setmetatable({}, {__close = function() while true do end end})
              coroutine.yield()
            end)
            coroutine.resume(co) coroutine.close(co)
            """
        ),
        ("a loop inside a coroutine the script made", "coroutine.wrap(function() while true do end end)()"),
        ("a loop in a spawned task", "spawn(function() while true do end end)"),
        (
            "an __index on _G that loops",
            "setmetatable(_G, {__index = function() while true do end end}) return undefined_name"
        ),
        ("load with a reader that loops", "load(function() while true do end end)"),
        ("a table.sort comparator that loops", "table.sort({3, 2, 1}, function() while true do end end)"),
        ("pcall around a loop, in a loop", "while true do pcall(function() while true do end end) end"),
    ]

    @Test("each runs out of time", arguments: cases)
    func endsWithTheTimeLimit(_ attack: (String, String)) async throws {
        let folder = try AttackFolder()
        defer { folder.remove() }
        let run = try await HostileRun.run(["run", "--timeout", "1s", "-e", attack.1], in: folder.root)
        #expect(run.status == 3, "\(attack.0): exit \(run.status), stderr \(run.standardError.prefix(400))")
        #expect(run.cpuSeconds < 5, "\(attack.0): used \(run.cpuSeconds) s of CPU in \(run.seconds) s")
        #expect(!run.killed)
        #expect(
            run.standardError.contains("time limit of 1s exceeded (--timeout)"),
            "\(attack.0): \(run.standardError.prefix(400))"
        )
    }

    @Test func aFinalizerThatLoopsAfterTheMemoryLimitEndsWithTheMemoryLimit() async throws {
        // No --timeout at all: the grace after a limit is hit still bounds the clean-up.
        let folder = try AttackFolder()
        defer { folder.remove() }
        let run = try await HostileRun.run(
            [
                "run", "--max-memory", "16MB", "-e",
                "keep = setmetatable({}, {__gc = function() while true do end end}) local s = string.rep('x', 1e8)",
            ],
            in: folder.root
        )
        #expect(run.status == 3)
        #expect(run.cpuSeconds < 5, "used \(run.cpuSeconds) s of CPU in \(run.seconds) s")
        #expect(run.standardError.contains("memory limit of 16MB exceeded (--max-memory)"))
    }

    @Test func aFIFONobodyWritesToDoesNotHangTheRun() async throws {
        // Opening a FIFO would block until a writer comes; the jail opens without blocking,
        // and a read with no writer is the end of the file.
        let folder = try AttackFolder()
        defer { folder.remove() }
        #expect(mkfifo(folder.path("granted/fifo"), 0o600) == 0)
        let run = try await HostileRun.run(
            [
                "run", "--timeout", "1s", "--allow-read", "granted", "-e",
                "print(#io.open('granted/fifo'):read('a'))",
            ],
            in: folder.root
        )
        #expect(run.status == 0)
        #expect(run.standardOutput == "0\n")
        #expect(run.cpuSeconds < 5 && !run.killed, "used \(run.cpuSeconds) s of CPU in \(run.seconds) s")
    }

    @Test func whatTheScriptPrintedBeforeTheHardStopIsKept() async throws {
        let folder = try AttackFolder()
        defer { folder.remove() }
        let run = try await HostileRun.run(
            [
                "run", "--timeout", "500ms", "-e",
                "print('before') string.find(string.rep('a', 5000), string.rep('a-', 30) .. 'b')",
            ],
            in: folder.root
        )
        #expect(run.status == 3)
        #expect(run.standardOutput == "before\n")
    }
}
