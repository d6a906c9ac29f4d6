import ArgumentParser
import Testing

@testable import refonte

/// `refonte run`'s quick reader (`RunCommandLine`) and ArgumentParser give the same request for
/// every line the quick reader takes, and the quick reader leaves every bad line to
/// ArgumentParser, which explains it.
@Suite struct RunCommandLineTests {
    /// Valid lines that start quickly. Together they use every option `Run` declares.
    static let quick: [[String]] = [
        ["-e", ""],
        ["script.lua"],
        ["script.lua", "a", "-b", "--c"],
        ["-", "x"],
        ["--", "script.lua", "a"],
        ["script.lua", "--", "a"],
        ["-e", "print(...)", "--", "a", "b"],
        ["--eval", "-x", "--"],
        ["--eval=print(1)"],
        ["-e", "--timeout"],
        ["--timeout", "30s", "--max-memory", "256MB", "script.lua"],
        ["--timeout=500ms", "--max-memory=1GiB", "-e", ""],
        ["--allow-read", "a", "--allow-read", "b", "--allow-write=c", "--allow-env", "HOME", "s.lua"],
        [
            "--summary-out", "x.json", "--profile", "p", "--api-key-file", "k", "--base-url", "http://h",
            "s.lua",
        ],
        [
            "--sandbox", "--sandbox-db", "d.sqlite", "--dry-run", "--plan-out", "p.json", "--audit-log",
            "a.jsonl", "s.lua",
        ],
        ["--rate", "50/s", "--burst", "10", "--output", "json", "--progress", "plain", "s.lua"],
        ["--rate", "off", "--progress=off", "--output=text", "s.lua"],
        ["s.lua", "--timeout", "5s", "--sandbox"],
        ["-e", "x", "--sandbox", "--", "--dry-run"],
    ]

    @Test(arguments: quick)
    func takesAValidLineAsArgumentParserDoes(line: [String]) throws {
        let request = try #require(
            RunCommandLine.parse(line),
            "the quick reader left \(line) to ArgumentParser"
        )
        let parsed = try #require(try Refonte.parseAsRoot(["run"] + line) as? Run)
        #expect(request == parsed.request)
    }

    /// Lines ArgumentParser refuses or answers itself (help); the quick reader must not take them.
    static let leftToArgumentParser: [[String]] = [
        [],
        ["--help"],
        ["-h"],
        ["--version"],
        ["--frobnicate", "s.lua"],
        ["-x", "s.lua"],
        ["-e", "x", "a.lua"],
        ["-e"],
        ["--timeout", "soon", "-e", ""],
        ["--timeout", "-5s", "-e", ""],
        ["--max-memory", "64", "-e", ""],
        ["--burst", "0", "-e", ""],
        ["--burst", "many", "-e", ""],
        ["--rate", "fast", "-e", ""],
        ["--rate", "off", "--burst", "2", "-e", ""],
        ["--allow-env", "A=B", "-e", ""],
        ["--allow-env", "REFONTE_API_KEY", "-e", ""],
        ["--output", "xml", "-e", ""],
        ["--progress", "loud", "-e", ""],
        ["--sandbox=yes", "-e", ""],
        ["--profile", "", "-e", ""],
        ["--api-key-file=", "-e", ""],
        ["--plan-out", "", "-e", ""],
        ["--audit-log", "", "-e", ""],
    ]

    @Test(arguments: leftToArgumentParser)
    func leavesABadLineToArgumentParser(line: [String]) {
        #expect(RunCommandLine.parse(line) == nil)
        #expect(throws: (any Error).self) { try Refonte.parseAsRoot(["run"] + line) }
    }

    /// An option added to `Run` and not to the quick reader would make every run that uses it
    /// start slowly: each declared option appears in a quick line.
    @Test func knowsEveryOptionRunDeclares() throws {
        let arguments = try #require(ToolDescription.of(Run.self)?.arguments)
        let declared = arguments.flatMap { $0.longNames + $0.shortNames }
            .filter { !["--help", "-h", "--version"].contains($0) }
        #expect(declared.count > 15)
        let used = Set(Self.quick.joined().map { $0.split(separator: "=").first.map(String.init) ?? $0 })
        for name in declared {
            #expect(used.contains(name), "no quick line uses \(name)")
        }
    }
}
