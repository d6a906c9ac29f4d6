import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestHelpers
import Testing

/// `refonte sandbox` as a user runs it.
@Suite("The sandbox command")
struct CLITests {
    static func run(_ arguments: [String]) async throws -> ChildOutput {
        let process = Process()
        process.executableURL = try CrashRecoveryTests.binary()
        process.arguments = arguments
        return try await ChildProcesses.shared.runCollecting(process)
    }

    @Test(arguments: [
        (["--faults", "error=2"], "--faults"),
        (["--faults", "explode=0.1"], "explode"),
        (["--rate-limit", "fast"], "--rate-limit"),
        (["--seed", "everything"], "--seed"),
        (["--api-key", "sk_nope"], "--api-key"),
        (["--port", "70000"], "--port"),
    ])
    func badOptionsExitWithStatus2(arguments: [String], names: String) async throws {
        let result = try await Self.run(["sandbox", "--db", "/nonexistent/never/used.sqlite"] + arguments)
        #expect(result.status == 2, "\(arguments): \(result.standardError)")
        #expect(result.standardError.contains(names), "\(result.standardError)")
        #expect(result.standardOutput.isEmpty)
    }

    @Test func createdKeysOpenTheServer() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "refonte-cli-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("keys.sqlite").path
        let created = try await Self.run(["sandbox", "keys", "create", "--db", database, "--mode", "live"])
        #expect(created.status == 0, "\(created.standardError)")
        let key = created.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.hasPrefix("live_") && key.count > 20)
        #expect(!created.standardError.contains(key), "the key is shown once, on stdout only")
        let badMode = try await Self.run(["sandbox", "keys", "create", "--db", database, "--mode", "prod"])
        #expect(badMode.status == 2 && badMode.standardError.contains("--mode"))

        let (server, base) = try await CrashRecoveryTests.start(database: database)
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        func status(_ key: String?) async throws -> HTTPResponseStatus {
            var request = HTTPClientRequest(url: "\(base)/teams")
            if let key {
                request.headers.add(
                    name: "Authorization",
                    value: "Basic " + Data("\(key):".utf8).base64EncodedString()
                )
            }
            return try await HTTPClient.shared.execute(request, timeout: .seconds(10)).status
        }
        #expect(try await status(key) == .ok)
        #expect(try await status(nil) == .unauthorized)
        #expect(try await status("live_not_a_key") == .unauthorized)
    }

    @Test func sigtermStopsTheServerCleanly() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "refonte-cli-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        let (server, _) = try await CrashRecoveryTests.start(
            database: directory.appendingPathComponent("s.sqlite").path
        )
        server.terminate()
        server.waitUntilExit()
        #expect(server.terminationReason == Process.TerminationReason.exit)
        #expect(server.terminationStatus == 0)
    }
}
