import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import RefonteAPI
import TestHelpers
import Testing

@testable import RefonteSandbox

/// Requests built to break the store or the authenticator, sent over a real socket to a sandbox
/// running in this process.
@Suite("Hostile requests")
struct HostileRequestTests {
    struct Answer {
        var status: Int
        var error: String
    }

    static func send(
        _ sandbox: EmbeddedSandbox,
        _ method: NIOHTTP1.HTTPMethod,
        _ path: String,
        body: String? = nil,
        authorization: String? = nil
    ) async throws -> Answer {
        let root = sandbox.baseURL.dropLast(3)
        var request = HTTPClientRequest(url: root + path)
        request.method = method
        request.headers.add(
            name: "Authorization",
            value: authorization ?? "Basic " + Data("\(sandbox.apiKey):".utf8).base64EncodedString()
        )
        request.headers.add(name: "Content-Type", value: "application/json")
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        let object = try? JSONSerialization.jsonObject(with: Data(Array(buffer: bytes))) as? [String: Any]
        return Answer(status: Int(response.status.code), error: object?["error"] as? String ?? "")
    }

    static func start() async throws -> EmbeddedSandbox {
        try await EmbeddedSandbox.start(
            configuration: SandboxConfiguration(seed: .demo),
            logger: Logger(label: "test")
        )
    }

    /// Every string a request can carry, in every operation: a NUL in it is a 400 that names the
    /// field, before anything is looked up or stored.
    @Test func aNULInAnyStringOfAnyOperationIsRefusedNamingTheField() async throws {
        let sandbox = try await Self.start()
        defer { Task { await sandbox.stop() } }
        var checked = 0
        for operation in Catalog.operations {
            let parameters = operation.parameters
            for parameter in parameters {
                guard let value = valueWithNUL(parameter.type) else { continue }
                var path = operation.path
                for other in parameters where other.location == .path {
                    let text: String
                    if other.wireName == parameter.wireName, case .string(let nul) = value {
                        text = nul
                    } else if case .enumeration(let allowed) = other.type {
                        text = allowed[0]
                    } else {
                        text = "x"
                    }
                    path = path.replacingOccurrences(
                        of: "{\(other.wireName)}",
                        with: PercentEncoding.pathSegment(text)
                    )
                }
                var query = ""
                var body: String?
                switch (parameter.location, value) {
                case (.path, _): break
                case (.query, .string(let text)):
                    query = "?\(parameter.wireName)=" + PercentEncoding.pathSegment(text)
                case (.query, .array(let items)):
                    query =
                        "?"
                        + items.compactMap { item -> String? in
                            guard case .string(let text) = item else { return nil }
                            return "\(parameter.wireName)=" + PercentEncoding.pathSegment(text)
                        }.joined(separator: "&")
                case (.body, _):
                    body = String(
                        decoding: JSONValue.object([parameter.wireName: value]).encoded(),
                        as: UTF8.self
                    )
                case (.wholeBody, _):
                    body = String(decoding: value.encoded(), as: UTF8.self)
                default:
                    Issue.record("no way to send \(operation.id).\(parameter.name)")
                    continue
                }
                let answer = try await Self.send(
                    sandbox,
                    NIOHTTP1.HTTPMethod(rawValue: operation.method.rawValue),
                    "/v1" + path + query,
                    body: body
                )
                let where_ = "\(operation.id).\(parameter.wireName)"
                #expect(answer.status == 400, "\(where_): \(answer.status) \(answer.error)")
                #expect(answer.error.hasPrefix(operation.id + ":"), "\(where_): \(answer.error)")
                let names = parameter.location == .wholeBody ? "request body" : "'\(parameter.wireName)"
                #expect(
                    answer.error.contains(names) && answer.error.contains("NUL"),
                    "\(where_): \(answer.error)"
                )
                checked += 1
            }
        }
        #expect(checked >= 40)
    }

    /// What the issue saw: SQLite cut "b\0x" to "b", so creating "b" afterwards was a false 409
    /// and looking up "b\0x" found "b". Now the first request is refused and changes nothing.
    @Test func aNULNeitherTruncatesANameNorFindsAnotherRow() async throws {
        let sandbox = try await Self.start()
        defer { Task { await sandbox.stop() } }
        let refused = try await Self.send(
            sandbox,
            .POST,
            "/v1/batches",
            body: #"{"project":"API Transcripts","name":"Nightly\u0000 copy"}"#
        )
        #expect(refused.status == 400)
        #expect(refused.error.contains("'name'") && refused.error.contains(#"\u0000"#), "\(refused.error)")
        let created = try await Self.send(
            sandbox,
            .POST,
            "/v1/batches",
            body: #"{"project":"API Transcripts","name":"Nightly"}"#
        )
        #expect(created.status == 200, "a false 409: \(created.error)")
        let lookup = try await Self.send(sandbox, .GET, "/v1/batches/Nightly%00%20copy")
        #expect(lookup.status == 400, "\(lookup)")

        let task = try await Self.send(
            sandbox,
            .POST,
            "/v1/task/chat",
            body: #"{"project":"API Transcripts","unique_id":"u\u0000"}"#
        )
        #expect(task.status == 400 && task.error.contains("'unique_id'"), "\(task)")
        let metadata = try await Self.send(
            sandbox,
            .POST,
            "/v1/batches/Nightly/setMetadata",
            body: #"{"ok":{"deep\u0000key":1}}"#
        )
        #expect(metadata.status == 400 && metadata.error.contains("keys have no NUL"), "\(metadata)")
    }

    /// The `/sandbox/...` routes are outside the catalog and keep the same rule.
    @Test func theSandboxsOwnRoutesRefuseNULsToo() async throws {
        let sandbox = try await Self.start()
        defer { Task { await sandbox.stop() } }
        for (path, body) in [
            ("/sandbox/teams/accept", #"{"email":"ana@example.com\u0000"}"#),
            ("/sandbox/tasks/x%00y/complete", nil),
            ("/sandbox/tasks/x/attempts", #"{"labeler_email":"\u0000"}"#),
            ("/sandbox/tasks/x/complete", #"{"response":{"a\u0000":1}}"#),
        ] as [(String, String?)] {
            let answer = try await Self.send(sandbox, .POST, path, body: body)
            #expect(answer.status == 400 && answer.error.contains("NUL"), "\(path): \(answer)")
        }
    }

    /// The user name must have the shape of a key: a NUL (which SQLite would cut, finding the
    /// real key) or a line break never reaches a lookup, and a key holder cannot make new
    /// rate-limit buckets or cache entries by varying what follows the key.
    @Test func malformedKeysAreRefusedAndPasswordsMakeNoEntries() async throws {
        let sandbox = try await Self.start()
        defer { Task { await sandbox.stop() } }
        func basic(_ user: String) -> String { "Basic " + Data(user.utf8).base64EncodedString() }
        for user in [
            "\(sandbox.apiKey)\u{0}junk:", "\(sandbox.apiKey)\n:", "\u{0}\(sandbox.apiKey):",
            "\(sandbox.apiKey) :",
        ] {
            let answer = try await Self.send(sandbox, .GET, "/v1/teams", authorization: basic(user))
            #expect(answer.status == 401, "\(user.debugDescription)")
        }
        let oversized = try await Self.send(
            sandbox,
            .GET,
            "/v1/teams",
            authorization: basic("\(sandbox.apiKey):" + String(repeating: "p", count: 2000))
        )
        #expect(oversized.status == 401 && oversized.error.contains("malformed"))
        for n in 0..<300 {
            let answer = try await Self.send(
                sandbox,
                .GET,
                "/v1/teams",
                authorization: basic("\(sandbox.apiKey):pw\(n)")
            )
            #expect(answer.status == 200)
        }
        #expect(sandbox.store.rememberedKeyCount == 1)
    }
}

/// The authenticator remembers one identity per key: its own header. Passwords, spacing or a
/// second base64 alphabet never add an entry.
@Suite("The authenticator's memory")
struct AuthenticatorMemoryTests {
    @Test func oneEntryPerKeyWhateverTheHeaders() async throws {
        let fixture = try await Fixture(seed: false)
        let key = try fixture.store.createKey(mode: .test)
        let authenticator = Authenticator(store: fixture.store)
        let storedBefore = fixture.store.rememberedKeyCount
        let canonical = Authenticator.header(for: key)
        #expect(try await authenticator.identify(authorization: canonical).key == key)
        for n in 0..<500 {
            let header = "Basic " + Data("\(key):password-\(n)".utf8).base64EncodedString()
            #expect(try await authenticator.identify(authorization: header).key == key)
            #expect(
                try await authenticator.identify(authorization: "basic  " + canonical.dropFirst(6)).key == key
            )
        }
        #expect(authenticator.rememberedCount == 1)
        #expect(fixture.store.rememberedKeyCount == storedBefore + 1)
        await #expect(throws: SandboxError.self) {
            try await authenticator.identify(
                authorization: "Basic " + Data("test_unknown_key:".utf8).base64EncodedString()
            )
        }
        #expect(authenticator.rememberedCount == 1)
    }
}
