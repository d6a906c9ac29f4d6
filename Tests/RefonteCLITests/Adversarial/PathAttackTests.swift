import Foundation
import Synchronization
import Testing

/// Scripts that try to write outside --allow-write, or read outside what they were given.
/// Each refusal is an error (exit 1) that names what was refused, and nothing appears outside
/// the grant.
@Suite("Attacks on the file grants")
struct PathAttackTests {
    /// Each case: a name, the Lua code, and the links to make first (in `granted/`).
    static let writes: [(String, String)] = [
        ("a NUL byte before a '..'", "io.open('granted/x\\0/../../outside/nul', 'w')"),
        ("a dangling link to outside", "io.open('granted/dangling', 'w')"),
        ("a dangling link, appending", "io.open('granted/dangling', 'a+')"),
        ("'..' after a link to a folder outside", "io.open('granted/dirlink/../outside/new', 'w')"),
        ("a file below a link to a folder outside", "io.open('granted/dirlink/new', 'w')"),
        ("an absolute link to a folder outside", "io.open('granted/abslink/new', 'w')"),
        ("a chain of links ending outside", "io.open('granted/chain1', 'w')"),
        ("io.output through a dangling link", "io.output('granted/dangling')"),
        ("a path that climbs out lexically", "io.open('granted/../outside/new', 'w')"),
    ]

    func prepare(_ folder: AttackFolder) throws {
        try folder.link("granted/dangling", to: "../outside/created")
        try folder.link("granted/dirlink", to: "../outside")
        try folder.link("granted/abslink", to: folder.path("outside"))
        try folder.link("granted/chain1", to: "chain2")
        try folder.link("granted/chain2", to: "../outside/chained")
        try folder.link("granted/loop", to: "loop")
    }

    @Test("no write leaves the grant", arguments: writes)
    func writeStaysInside(_ attack: (String, String)) async throws {
        let folder = try AttackFolder()
        defer { folder.remove() }
        try prepare(folder)
        let run = try await HostileRun.run(
            ["run", "--allow-write", "granted", "-e", attack.1],
            in: folder.root
        )
        #expect(run.status == 1, "\(attack.0): exit \(run.status), \(run.standardError.prefix(300))")
        #expect(
            run.standardError.contains("is not allowed") || run.standardError.contains("NUL byte"),
            "\(attack.0): \(run.standardError.prefix(300))"
        )
        #expect(folder.outsideFiles.isEmpty, "\(attack.0): created \(folder.outsideFiles)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("nul")))
    }

    @Test func linksThatStayInsideStillWork() async throws {
        let folder = try AttackFolder()
        defer { folder.remove() }
        try prepare(folder)
        try FileManager.default.createDirectory(
            atPath: folder.path("granted/sub"),
            withIntermediateDirectories: true
        )
        try folder.link("granted/inner", to: "sub")
        let run = try await HostileRun.run(
            [
                "run", "--allow-write", "granted", "-e",
                """
                local f = assert(io.open('granted/inner/../inner/file', 'w')) f:write('one\\ntwo\\n') f:close()
                for line in io.lines('granted/sub/file') do io.write(line, ';') end
                print(select(2, pcall(io.open, 'granted/loop')))
                """,
            ],
            in: folder.root
        )
        #expect(run.status == 0, "\(run.standardError.prefix(300))")
        #expect(run.standardOutput.hasPrefix("one;two;"))
        #expect(FileManager.default.fileExists(atPath: folder.path("granted/sub/file")))
    }

    /// Reading: every way a script can reach a file goes through the same check.
    static let reads: [(String, String)] = [
        ("io.open", "io.open('granted/secretlink')"),
        ("io.lines", "for l in io.lines('granted/secretlink') do print(l) end"),
        ("io.input", "io.input('granted/secretlink') print(io.read('a'))"),
        ("loadfile", "print(loadfile('granted/secretlink'))"),
        ("dofile", "dofile('granted/secretlink')"),
        ("require", "package.path = 'granted/?' require('secretlink')"),
        ("csv.read", "csv.read('granted/secretlink')"),
        ("a folder link and '..'", "io.open('granted/dirlink/../outside/secret')"),
    ]

    @Test("no read leaves the grant", arguments: reads)
    func readStaysInside(_ attack: (String, String)) async throws {
        let folder = try AttackFolder()
        defer { folder.remove() }
        try prepare(folder)
        try folder.write("outside/secret", "SECRET-CONTENT\n")
        try folder.link("granted/secretlink", to: "../outside/secret")
        let run = try await HostileRun.run(
            ["run", "--allow-read", "granted", "-e", attack.1],
            in: folder.root
        )
        #expect(run.status == 1, "\(attack.0): exit \(run.status)")
        #expect(run.standardError.contains("is not allowed"), "\(attack.0): \(run.standardError.prefix(300))")
        #expect(
            !run.standardOutput.contains("SECRET-CONTENT") && !run.standardError.contains("SECRET-CONTENT")
        )
    }

    @Test func packageSearchpathDoesNotTellWhatExistsOutside() async throws {
        let folder = try AttackFolder()
        defer { folder.remove() }
        try folder.write("outside/secret", "x")
        let run = try await HostileRun.run(
            ["run", "-e", "print(package.searchpath('secret', '\(folder.path("outside"))/?'))"],
            in: folder.root
        )
        #expect(run.status == 0)
        #expect(run.standardOutput.hasPrefix("nil"))
    }

    @Test func aSwapBetweenCheckAndOpenCannotLeadOutside() async throws {
        // A thread of this test replaces granted/target by a link to outside and back, as fast
        // as it can, while the script opens it for writing over and over.
        let folder = try AttackFolder()
        defer { folder.remove() }
        try folder.write("granted/target", "")
        let stop = StopFlag()
        let swapper = Thread { [root = folder.root.path] in
            let target = root + "/granted/target"
            while !stop.value.load(ordering: .relaxed) {
                _ = symlink(root + "/outside/escaped", root + "/granted/tmp-link")
                _ = rename(root + "/granted/tmp-link", target)
                let file = open(root + "/granted/tmp-file", O_WRONLY | O_CREAT, 0o644)
                if file >= 0 { close(file) }
                _ = rename(root + "/granted/tmp-file", target)
            }
            stop.finished.store(true, ordering: .releasing)
        }
        swapper.start()
        let run = try await HostileRun.run(
            [
                "run", "--allow-write", "granted", "-e",
                "local opened = 0 for i = 1, 3000 do local ok, f = pcall(io.open, 'granted/target', 'w') if ok and f then f:close() opened = opened + 1 end end print(opened)",
            ],
            in: folder.root
        )
        stop.value.store(true, ordering: .relaxed)
        while !stop.finished.load(ordering: .acquiring) { usleep(1000) }
        #expect(run.status == 0, "\(run.standardError.prefix(300))")
        #expect(folder.outsideFiles.isEmpty, "created \(folder.outsideFiles)")
    }
}

final class StopFlag: Sendable {
    let value = Atomic<Bool>(false)
    let finished = Atomic<Bool>(false)
}
