import Foundation
import Testing

@testable import RefonteScripting

#if canImport(Glibc)
import Glibc
#endif

/// The jail itself: what a path really leads to decides, never its text.
@Suite struct FileJailTests {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("refonte-jail-\(UUID())")
        for name in ["granted/sub", "outside"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(name),
                withIntermediateDirectories: true
            )
        }
    }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    func writes(_ relative: String) -> FileAccessError? {
        let jail = FileJail(permissions: ScriptPermissions(writablePaths: [path("granted")]))
        do {
            let descriptor = try jail.open(path(relative), flags: O_WRONLY | O_CREAT, operation: "test")
            close(descriptor)
            return nil
        } catch {
            return error
        }
    }

    @Test func linksAreFollowedByWhereTheyLead() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createSymbolicLink(
            atPath: path("granted/out"),
            withDestinationPath: "../outside"
        )
        try FileManager.default.createSymbolicLink(atPath: path("granted/in"), withDestinationPath: "sub")
        try FileManager.default.createSymbolicLink(
            atPath: path("granted/dangling"),
            withDestinationPath: path("outside/x")
        )

        #expect(writes("granted/sub/a") == nil)
        #expect(writes("granted/in/../b") == nil)  // `in` leads to granted/sub: its parent is granted
        #expect(FileManager.default.fileExists(atPath: path("granted/b")))
        for escape in ["granted/out/c", "granted/out/../d", "granted/dangling", "granted/../outside/e"] {
            guard case .denied(let message) = writes(escape) else {
                Issue.record("\(escape) was not refused")
                continue
            }
            #expect(message.contains("is not allowed"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: path("outside")).isEmpty)
        #expect(FileManager.default.fileExists(atPath: path("d")) == false)
    }

    @Test func aGrantThatIsALinkGrantsWhereItLeads() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createSymbolicLink(atPath: path("alias"), withDestinationPath: "granted")
        let jail = FileJail(permissions: ScriptPermissions(writablePaths: [path("alias")]))
        let descriptor = try jail.open(path("granted/f"), flags: O_WRONLY | O_CREAT, operation: "test")
        close(descriptor)
        #expect(jail.denial(path("outside/f"), access: .write, operation: "test") != nil)
    }

    @Test func protectedFilesAreRefusedByIdentity() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try "key".write(toFile: path("outside/key"), atomically: false, encoding: .utf8)
        #expect(link(path("outside/key"), path("granted/hard")) == 0)
        let jail = FileJail(
            permissions: ScriptPermissions(
                readablePaths: [path("granted")],
                protectedPaths: [path("outside/key")]
            )
        )
        #expect(throws: FileAccessError.self) {
            _ = try jail.open(path("granted/hard"), flags: O_RDONLY, operation: "test")
        }
    }

    @Test func nulAndOverlongPathsAreRefused() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let jail = FileJail(permissions: ScriptPermissions(writablePaths: ["/"]))
        for bad in [path("granted/x\0/../y"), "/" + String(repeating: "a/", count: 3000)] {
            #expect(throws: FileAccessError.self) {
                _ = try jail.open(bad, flags: O_WRONLY | O_CREAT, operation: "test")
            }
        }
        #expect(jail.denial("/proc/self/environ", access: .read, operation: "test") != nil)
    }
}

@Suite struct CSVChunkTests {
    /// Records split at every possible point between two chunks read the same as in one piece.
    @Test func recordsReadTheSameWhateverTheChunks() throws {
        let text = Array("\u{FEFF}a,\"b \"\"q\"\"\",c\r\n1,\"x\r\ny\",3\n\n4,5,\"\"\r\n".utf8)
        let whole = try CSVParser.parse(text)
        #expect(whole == [["a", "b \"q\"", "c"], ["1", "x\r\ny", "3"], ["4", "5", ""]])
        for cut in 1..<text.count {
            var parser = CSVParser()
            var records: [[String]] = []
            let collect: (CSVRecord) -> Void = { record in
                records.append((0..<record.count).map { String(decoding: record[$0], as: UTF8.self) })
            }
            try parser.feed(text[..<cut], onRecord: collect)
            try parser.feed(text[cut...], onRecord: collect)
            try parser.finish(onRecord: collect)
            #expect(records == whole, "cut at \(cut)")
        }
    }
}
