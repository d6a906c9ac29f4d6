import Foundation
import TestHelpers
import Testing

/// `refonte run` with no API key anywhere: the embedded sandbox, as a new user meets it.
@Suite("refonte run without an API key")
struct EmbeddedDefaultTests {
    /// A clean environment: no key, and XDG folders of its own so nothing of the user's leaks in.
    static func freshEnvironment() throws -> (environment: [String: String], home: URL) {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent(
            "refonte-home-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        for name in ["REFONTE_API_KEY", "REFONTE_PROFILE", "REFONTE_BASE_URL"] { environment[name] = nil }
        environment["HOME"] = home.path
        environment["XDG_DATA_HOME"] = home.appendingPathComponent("data").path
        environment["XDG_CONFIG_HOME"] = home.appendingPathComponent("config").path
        return (environment, home)
    }

    @Test func theOnboardingExampleRunsAgainstTheEmbeddedSandboxTwice() async throws {
        let (environment, home) = try Self.freshEnvironment()
        defer { try? FileManager.default.removeItem(at: home) }
        let arguments = ["run", "examples/onboard_labelers.lua", "--", "examples/labelers.csv"]

        let first = try await RunCLI.run(arguments, environment: environment)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("onboarded 5 labelers (5 newly invited)"))
        #expect(
            first.standardError.contains(
                "no API key is configured: using the embedded sandbox at http://127.0.0.1:"
            )
        )
        let database = home.appendingPathComponent("data/refonte/sandbox.sqlite").path
        #expect(FileManager.default.fileExists(atPath: database))

        // The data persists: a second run finds everyone already invited.
        let second = try await RunCLI.run(arguments, environment: environment)
        #expect(second.status == 0, "\(second.standardError)")
        #expect(second.standardOutput.contains("onboarded 5 labelers (0 newly invited)"))
    }

    @Test func aScriptWithoutAPICallsStartsNoSandbox() async throws {
        let (environment, home) = try Self.freshEnvironment()
        defer { try? FileManager.default.removeItem(at: home) }
        let output = try await RunCLI.run(
            ["run", "-e", "print(refonte.env.sandbox, refonte.env.base_url)"],
            environment: environment
        )
        #expect(output.status == 0)
        #expect(output.standardOutput == "true\tnil\n")
        #expect(!output.standardError.contains("embedded sandbox"))
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("data/refonte").path))
    }

    @Test func aBaseURLWithoutAKeyIsAUsageError() async throws {
        let (environment, home) = try Self.freshEnvironment()
        defer { try? FileManager.default.removeItem(at: home) }
        let output = try await RunCLI.run(
            ["run", "--base-url", "http://127.0.0.1:9/v1", "-e", "print(1)"],
            environment: environment
        )
        #expect(output.status == 2)
        #expect(output.standardError.contains("--base-url http://127.0.0.1:9/v1 needs an API key"))
    }

    @Test func aKeyFileOthersCanReadIsRefusedWithTheFix() async throws {
        let (environment, home) = try Self.freshEnvironment()
        defer { try? FileManager.default.removeItem(at: home) }
        let keyFile = home.appendingPathComponent("key")
        try "test_cli_refused".write(to: keyFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile.path)
        let output = try await RunCLI.run(
            ["run", "--api-key-file", keyFile.path, "-e", "print(1)"],
            environment: environment
        )
        #expect(output.status == 1)
        #expect(output.standardError.contains("chmod 600 \(keyFile.path)"))
        #expect(!output.standardError.contains("test_cli_refused"))
    }
}
