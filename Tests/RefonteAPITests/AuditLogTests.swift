import Foundation
import Testing

@testable import RefonteAPI

/// The audit log's hash chain: appends under a lock, and a verifier that names the first line
/// that was edited, inserted or deleted.
@Suite struct AuditLogTests {
    static func record(_ n: Int) -> [String: JSONValue] {
        [
            "operation": "teams.invite", "n": .integer(Int64(n)),
            "arguments": ["emails": [.string("a\(n)@x.com")]],
        ]
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    static func write(_ lines: [String], to path: String) throws {
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    func logWithFiveRecords() throws -> (TempDirectory, String) {
        let directory = try TempDirectory()
        let path = directory.path + "/state/refonte/audit.jsonl"
        let log = AuditLog(path: path)
        for n in 1...5 { try log.append(Self.record(n)) }
        return (directory, path)
    }

    @Test func appendsAChainThatVerifies() throws {
        let (directory, path) = try logWithFiveRecords()
        let report = try AuditVerifier.verify(path: path)
        #expect(report.isIntact)
        #expect(report.lines == 5)
        let lines = try Self.lines(path)
        let first = try #require(try JSONValue.parse(lines[0]).value(at: ["prev"]))
        #expect(first == .string(SHA256Digest.zero))
        let secondPrev = try JSONValue.parse(lines[1]).value(at: ["prev"])
        #expect(secondPrev == (try JSONValue.parse(lines[0]).value(at: ["hash"])))
        #expect(try JSONValue.parse(lines[4]).value(at: ["seq"]) == 5)
        #expect(report.lastHash == (try JSONValue.parse(lines[4]).value(at: ["hash"]))?.stringValue)
        let file = try FileManager.default.attributesOfItem(atPath: path)
        #expect((file[.posixPermissions] as? Int) == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: directory.path + "/state/refonte")
        #expect((folder[.posixPermissions] as? Int) == 0o700)
        // A second log object on the same file continues the chain.
        try AuditLog(path: path).append(Self.record(6))
        #expect(try AuditVerifier.verify(path: path).lines == 6)
        #expect(try AuditVerifier.verify(path: path).isIntact)
    }

    @Test func anEditedLineIsNamed() throws {
        let (_, path) = try logWithFiveRecords()
        var lines = try Self.lines(path)
        lines[2] = lines[2].replacingOccurrences(of: "a3@x.com", with: "evil@x.com")
        try Self.write(lines, to: path)
        let problem = try #require(try AuditVerifier.verify(path: path).problem)
        #expect(problem.line == 3)
        #expect(problem.reason.contains("edited"))
    }

    @Test func aDeletedLineIsNamed() throws {
        let (_, path) = try logWithFiveRecords()
        var lines = try Self.lines(path)
        lines.remove(at: 1)
        try Self.write(lines, to: path)
        let problem = try #require(try AuditVerifier.verify(path: path).problem)
        #expect(problem.line == 2)
        #expect(problem.reason == "1 line was deleted before it (it is record 3, record 2 was expected)")
    }

    @Test func aDeletedFirstLineIsNamed() throws {
        let (_, path) = try logWithFiveRecords()
        try Self.write(Array(try Self.lines(path).dropFirst()), to: path)
        let problem = try #require(try AuditVerifier.verify(path: path).problem)
        #expect(problem.line == 1)
        #expect(problem.reason.contains("deleted"))
    }

    @Test func anInsertedLineIsNamed() throws {
        let (_, path) = try logWithFiveRecords()
        var lines = try Self.lines(path)
        lines.insert(lines[1], at: 3)
        try Self.write(lines, to: path)
        let problem = try #require(try AuditVerifier.verify(path: path).problem)
        #expect(problem.line == 4)
        #expect(problem.reason.contains("inserted"))
    }

    @Test func aLineThatLostItsHashIsNamed() throws {
        let (_, path) = try logWithFiveRecords()
        var lines = try Self.lines(path)
        lines[4] = String(lines[4].prefix(40))
        try Self.write(lines, to: path)
        let problem = try #require(try AuditVerifier.verify(path: path).problem)
        #expect(problem.line == 5)
        #expect(problem.reason.contains("not a sealed audit record"))
    }

    /// Two writers with their own open files (as two processes have) never interleave lines or
    /// fork the chain: `flock` orders them.
    @Test func concurrentWritersKeepOneChain() async throws {
        let directory = try TempDirectory()
        let path = directory.path + "/audit.jsonl"
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<2 {
                group.addTask {
                    let log = AuditLog(path: path)
                    for n in 0..<200 { _ = try? log.append(Self.record(writer * 1000 + n)) }
                }
            }
        }
        let report = try AuditVerifier.verify(path: path)
        #expect(report.isIntact, "\(String(describing: report.problem))")
        #expect(report.lines == 400)
    }

    @Test func aLogThatCannotBeOpenedSaysWhere() throws {
        let directory = try TempDirectory()
        try directory.write("file", "not a folder")
        let log = AuditLog(path: directory.path + "/file/audit.jsonl")
        #expect(throws: AuditError.self) { try log.open() }
    }

    @Test func redactionRemovesSecretsButKeepsTheRest() throws {
        let key = try APIKey("test_abcdefghijklmnop")
        let value: JSONValue = [
            "callback_url": "https://user:hunter2@hooks.example.com/x",
            "metadata": [
                "api_token": "s3cr3t", "note": "key test_abcdefghijklmnop here", "next_token": "cursor",
            ],
            "emails": ["a@x.com"],
        ]
        let redacted = Redaction.redact(value, key: key)
        let text = redacted.jsonText
        #expect(!text.contains("hunter2") && !text.contains("s3cr3t") && !text.contains("abcdefghijklmnop"))
        #expect(redacted.value(at: ["callback_url"]) == "https://user:[redacted]@hooks.example.com/x")
        #expect(redacted.value(at: ["metadata", "api_token"]) == "[redacted]")
        #expect(redacted.value(at: ["metadata", "next_token"]) == "cursor")
        #expect(redacted.value(at: ["emails"]) == ["a@x.com"])
    }
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
