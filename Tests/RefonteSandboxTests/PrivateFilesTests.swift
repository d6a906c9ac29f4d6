import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import RefonteSandbox
import TestHelpers
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The sandbox's database holds its API keys: only its owner may read it or its side files.
@Suite("The sandbox's files are private")
struct PrivateFilesTests {
    static func mode(_ path: String) -> UInt32? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt32(info.st_mode) & 0o777
    }

    /// The embedded sandbox as `refonte run` starts it when no key is configured.
    @Test func theEmbeddedSandboxMakesItsFolderAndFilesPrivate() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent(
            "refonte-home-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: home) }
        let data = home.appendingPathComponent("data").path
        let configuration = SandboxConfiguration.localDefault(environment: [
            "XDG_DATA_HOME": data, "HOME": home.path,
        ])
        let sandbox = try await EmbeddedSandbox.start(
            configuration: configuration,
            logger: Logger(label: "test")
        )
        // A write, so that the WAL and shared-memory files exist.
        var create = HTTPClientRequest(url: "\(sandbox.baseURL)/projects")
        create.method = .POST
        create.headers.add(
            name: "Authorization",
            value: "Basic " + Data("\(sandbox.apiKey):".utf8).base64EncodedString()
        )
        create.body = .bytes(ByteBuffer(string: #"{"type":"chat","name":"Private"}"#))
        #expect(try await HTTPClient.shared.execute(create, timeout: .seconds(10)).status == .ok)

        let database = SandboxConfiguration.defaultDatabasePath(environment: ["XDG_DATA_HOME": data])
        #expect(Self.mode(data) == 0o700)
        #expect(Self.mode(data + "/refonte") == 0o700)
        #expect(Self.mode(database) == 0o600)
        #expect(Self.mode(database + "-wal") == 0o600)
        #expect(Self.mode(database + "-shm") == 0o600)
        await sandbox.stop()
    }

    /// A database left readable by an older version is narrowed when it is opened again.
    @Test func anExistingDatabaseIsNarrowedWhenOpened() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "refonte-old-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("sandbox.sqlite").path
        let first = try await EmbeddedSandbox.start(
            configuration: SandboxConfiguration(database: .file(path: database)),
            logger: Logger(label: "test")
        )
        await first.stop()
        chmod(database, 0o644)
        chmod(folder.path, 0o755)
        let second = try await EmbeddedSandbox.start(
            configuration: SandboxConfiguration(database: .file(path: database)),
            logger: Logger(label: "test")
        )
        #expect(Self.mode(database) == 0o600)
        // A folder the user made is theirs to set.
        #expect(Self.mode(folder.path) == 0o755)
        await second.stop()
    }

    @Test func keysCreateMakesAPrivateDatabase() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "refonte-keys-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("nested/keys.sqlite").path
        let created = try await CLITests.run(["sandbox", "keys", "create", "--db", database])
        #expect(created.status == 0, "\(created.standardError)")
        #expect(Self.mode(folder.path) == 0o700)
        #expect(Self.mode(folder.appendingPathComponent("nested").path) == 0o700)
        #expect(Self.mode(database) == 0o600)
    }
}
