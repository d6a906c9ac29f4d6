import Foundation
import Logging
import RefonteScripting
import Testing

@Suite("csv and log for scripts")
struct HelperLibraryTests {
    static func temporaryFile(_ contents: String) throws -> String {
        let path = NSTemporaryDirectory() + "refonte-csv-\(UUID().uuidString).csv"
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let unused = APIConnection { throw CSVTestError() }
    struct CSVTestError: Error {}

    @Test("csv.read keys rows by header, with quotes, commas, CRLF and a BOM")
    func readsCSV() async throws {
        let path = try Self.temporaryFile(
            "\u{FEFF}email,note\r\na@x.com,\"hello, \"\"world\"\"\"\r\nb@x.com,\"two\nlines\"\r\n\r\n"
        )
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = """
            local rows = csv.read(...)
            assert(#rows == 2, #rows)
            assert(rows[1].email == "a@x.com", rows[1].email)
            assert(rows[1].note == 'hello, "world"', rows[1].note)
            assert(rows[2].note == "two\\nlines", rows[2].note)
            local raw = csv.read(..., { header = false })
            assert(#raw == 3 and raw[1][1] == "email")
            """
        try await runLua(source, arguments: [path], connection: Self.unused, permissions: [path])
    }

    @Test("csv.read needs permission and names --allow-read")
    func needsPermission() async throws {
        let path = try Self.temporaryFile("a\n1\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = """
            local ok, err = pcall(csv.read, ...)
            assert(not ok)
            assert(tostring(err):find("--allow-read " .. ..., 1, true), tostring(err))
            """
        try await runLua(source, arguments: [path], connection: Self.unused)
    }

    @Test("a ragged CSV record is an error naming the record")
    func ragged() async throws {
        let path = try Self.temporaryFile("a,b\n1,2\n3\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = """
            local ok, err = pcall(csv.read, ...)
            assert(not ok)
            assert(tostring(err):find("record 3 has 1 fields, the header has 2", 1, true), tostring(err))
            """
        try await runLua(source, arguments: [path], connection: Self.unused, permissions: [path])
    }

    @Test("log.info writes a structured record with the fields")
    func structuredLog() async throws {
        let sink = CapturedLog()
        let logger = Logger(label: "test", factory: { _ in sink.handler() })
        try await runLua(
            #"log.info("invited", { count = 3, who = { "a", "b" }, ok = true })"#,
            connection: Self.unused,
            logger: logger
        )
        #expect(sink.text.contains("invited"))
        #expect(sink.text.contains("count"))
        #expect(sink.text.contains(#"["a","b"]"#))
        await #expect(throws: (any Error).self) {
            try await runLua(#"log.info("x", { [1] = "positional" })"#, connection: Self.unused)
        }
    }
}
