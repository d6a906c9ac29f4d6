import Foundation
import Testing

/// Scripts that try to grow past --max-memory: through finalizers, error descriptions, one
/// huge allocation under pcall, and the host's own work on their data (csv, json, log). Each
/// must stop at the cap: exit 3 naming the memory limit (or finish, where the work fits), with
/// the child's peak RSS under the cap plus the fixed overhead docs/security.md states.
@Suite("Attacks on --max-memory")
struct MemoryAttackTests {
    static let cap = 64
    /// docs/security.md: the process itself (runtime, libraries, threads) and what the heap
    /// keeps after freeing, at most 40 MB for the release binary (27 MB measured); a debug
    /// build, which these tests run, takes 8 MB more for itself.
    static let overhead = 48

    static let cases: [(String, String)] = [
        (
            "one allocation over the cap, under pcall",
            "print(pcall(string.rep, 'x', 2e8)) print('still running')"
        ),
        (
            "a 1 GB string made in two steps, under pcall",
            "pcall(function() return ('x'):rep(1e6):rep(1e3) end) print('still running')"
        ),
        (
            "finalizers that allocate at close",
            "keep = setmetatable({}, {__gc = function() local t = {} for i = 1, 1e8 do t[i] = i end end})"
        ),
        (
            "finalizers that allocate, run by collectgarbage",
            "for i = 1, 20 do setmetatable({}, {__gc = function() keep = keep or {} keep[#keep + 1] = ('z'):rep(1e7 + i) end}) end collectgarbage()"
        ),
        (
            "finalizers that allocate while the host pushes a JSON document",
            "for i = 1, 20 do setmetatable({}, {__gc = function() keep = keep or {} keep[#keep + 1] = ('z'):rep(1e7 + i) end}) end local s = '[' .. ('1,'):rep(1e6) .. '1]' for i = 1, 20 do json.decode(s) end"
        ),
        (
            "an error whose __tostring returns 500 MB",
            "error(setmetatable({}, {__tostring = function() return ('x'):rep(5e8) end}))"
        ),
        (
            "json.decode of 16 MB of small arrays",
            "local s = '[' .. ('[1,2,3],'):rep(2e6) .. '0]' json.decode(s)"
        ),
        ("json.encode of a 25 MB string", "local s = ('y'):rep(2.5e7) local t = json.encode(s)"),
        (
            "json.encode of a table of 300,000 keys",
            "local t = {} for i = 1, 3e5 do t['k' .. i] = i end local s = json.encode(t) local u = json.encode(t) local v = s .. u"
        ),
        (
            "json.decode of a long string full of escapes",
            "local s = '\"' .. ('\\\\n'):rep(1.5e7) .. '\"' local t = json.decode(s) local u = json.decode(s)"
        ),
        (
            "table.concat of a million strings, ten times",
            "local t = {} for i = 1, 1e6 do t[i] = 'abcdefghij' end local u = {} for i = 1, 10 do u[i] = table.concat(t) end"
        ),
        ("a million small tables", "local t = {} for i = 1, 1e8 do t[i] = {} end"),
        (
            "allocation inside a coroutine",
            "coroutine.wrap(function() local t = {} for i = 1, 1e8 do t[i] = i end end)()"
        ),
        (
            "allocation inside a spawned task",
            "spawn(function() local t = {} for i = 1, 1e8 do t[i] = i .. '' end end)"
        ),
    ]

    @Test("each stops at the cap", arguments: cases)
    func stopsAtTheCap(_ attack: (String, String)) async throws {
        let folder = try AttackFolder()
        defer { folder.remove() }
        let run = try await HostileRun.run(
            ["run", "--max-memory", "\(Self.cap)MB", "-e", attack.1],
            in: folder.root
        )
        #expect(run.status == 3, "\(attack.0): exit \(run.status), stderr \(run.standardError.prefix(300))")
        #expect(
            run.standardError.contains("memory limit of \(Self.cap)MB exceeded (--max-memory)"),
            "\(attack.0)"
        )
        #expect(
            !run.standardOutput.contains("still running"),
            "\(attack.0): the script went on after the limit"
        )
        #expect(run.peakMB < Self.cap + Self.overhead, "\(attack.0): peak RSS \(run.peakMB) MB")
        #expect(run.seconds < 30 && !run.killed)
    }

    @Test func csvReadOfAnEightMegabyteFileStopsAtTheCap() async throws {
        let folder = try AttackFolder()
        defer { folder.remove() }
        var text = "a,b,c\n"
        text.reserveCapacity(9_000_000)
        for i in 0..<700_000 { text += "\(i),x,y\n" }
        try folder.write("granted/big.csv", text)
        let run = try await HostileRun.run(
            [
                "run", "--max-memory", "\(Self.cap)MB", "--allow-read", "granted", "-e",
                "local rows = csv.read('granted/big.csv')",
            ],
            in: folder.root
        )
        #expect(run.status == 3, "exit \(run.status): \(run.standardError.prefix(300))")
        #expect(run.peakMB < Self.cap + Self.overhead, "peak RSS \(run.peakMB) MB")

        // Under a cap that holds the rows, the same file reads in full.
        let fits = try await HostileRun.run(
            [
                "run", "--max-memory", "512MB", "--allow-read", "granted", "-e",
                "print(#csv.read('granted/big.csv'))",
            ],
            in: folder.root
        )
        #expect(fits.status == 0, "\(fits.standardError.prefix(300))")
        #expect(fits.standardOutput == "700000\n")
    }

    @Test func aHugeLogFieldIsCutAndTheLineStaysSmall() async throws {
        let folder = try AttackFolder()
        defer { folder.remove() }
        let run = try await HostileRun.run(
            [
                "run", "--max-memory", "128MB", "-e",
                "log.info('big', {field = ('y'):rep(5e7), t = {('z'):rep(1e6)}})",
            ],
            in: folder.root
        )
        #expect(run.status == 0, "\(run.standardError.prefix(300))")
        #expect(run.standardError.utf8.count < 20_000)
        #expect(run.standardError.contains("more bytes)"))
        #expect(run.peakMB < 128 + Self.overhead, "peak RSS \(run.peakMB) MB")
    }

    @Test func aHugeErrorMessageIsCut() async throws {
        let folder = try AttackFolder()
        defer { folder.remove() }
        let run = try await HostileRun.run(
            [
                "run", "--max-memory", "128MB", "-e",
                "error(setmetatable({}, {__tostring = function() return ('x'):rep(3e7) end}))",
            ],
            in: folder.root
        )
        #expect(run.status == 1)
        #expect(run.standardError.utf8.count < 20_000)
        #expect(run.standardError.contains("more bytes)"))
    }
}
