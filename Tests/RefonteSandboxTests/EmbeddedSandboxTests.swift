import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import RefonteSandbox
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The in-process sandbox on a real loopback socket.
@Suite("Embedded sandbox")
struct EmbeddedSandboxTests {
    static func get(_ url: String, key: String?) async throws -> HTTPResponseStatus {
        var request = HTTPClientRequest(url: url)
        if let key {
            request.headers.add(
                name: "Authorization",
                value: "Basic " + Data("\(key):".utf8).base64EncodedString()
            )
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 24)
        return response.status
    }

    /// Whether something accepts TCP connections on the loopback port (a plain connect, which
    /// fails at once when nothing listens).
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    @Test func startsOnAnEphemeralPortAndStops() async throws {
        let sandbox = try await EmbeddedSandbox.start(
            configuration: SandboxConfiguration(seed: .demo),
            logger: Logger(label: "test")
        )
        #expect(sandbox.baseURL == "http://127.0.0.1:\(sandbox.port)/v1")
        #expect(sandbox.port > 0)
        #expect(Self.accepts(port: sandbox.port))
        #expect(sandbox.apiKey.hasPrefix("test_"))
        #expect(try await Self.get("\(sandbox.baseURL)/teams", key: sandbox.apiKey) == .ok)
        #expect(try await Self.get("\(sandbox.baseURL)/teams", key: nil) == .unauthorized)
        let database = sandbox.store.path
        await sandbox.stop()
        #expect(!Self.accepts(port: sandbox.port), "the port is still open after stop()")
        // A temporary database goes away with the sandbox.
        #expect(!FileManager.default.fileExists(atPath: database))
    }

    @Test func aPersistentDatabaseKeepsItsKeyAndData() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "refonte-embedded-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = SandboxConfiguration(
            database: .file(path: directory.appendingPathComponent("nested/sandbox.sqlite").path),
            seed: .demo
        )
        let first = try await EmbeddedSandbox.start(
            configuration: configuration,
            logger: Logger(label: "test")
        )
        var create = HTTPClientRequest(url: "\(first.baseURL)/projects")
        create.method = HTTPMethod.POST
        create.headers.add(
            name: "Authorization",
            value: "Basic " + Data("\(first.apiKey):".utf8).base64EncodedString()
        )
        create.body = HTTPClientRequest.Body.bytes(ByteBuffer(string: #"{"type":"chat","name":"Kept"}"#))
        #expect(try await HTTPClient.shared.execute(create, timeout: .seconds(10)).status == .ok)
        await first.stop()

        let second = try await EmbeddedSandbox.start(
            configuration: configuration,
            logger: Logger(label: "test")
        )
        #expect(second.apiKey == first.apiKey)
        #expect(try await Self.get("\(second.baseURL)/projects/Kept", key: second.apiKey) == .ok)
        // Seeding again did not duplicate the demo data.
        #expect(try await Self.get("\(second.baseURL)/projects/Street%20Scenes", key: second.apiKey) == .ok)
        await second.stop()
    }

    @Test func injectedResetsDropTheConnection() async throws {
        let sandbox = try await EmbeddedSandbox.start(
            configuration: SandboxConfiguration(seed: .demo, faults: Faults(reset: 1)),
            logger: Logger(label: "test")
        )
        await #expect(throws: (any Error).self) {
            _ = try await Self.get("\(sandbox.baseURL)/teams", key: sandbox.apiKey)
        }
        // Routes outside the API are not sabotaged.
        #expect(try await Self.get("\(sandbox.baseURL.dropLast(3))/sandbox/health", key: nil) == .ok)
        await sandbox.stop()
    }
}
