import Foundation
import TestHelpers
import Testing

/// `refonte sandbox` serving HTTPS and `refonte run` reaching it as a user behind a private
/// CA or a proxy would: the built binaries, real sockets, the environment variables users set.
@Suite("HTTPS, private CAs and proxies from the command line")
struct NetworkCLITests {
    static let key = "test_cli_tls_key_1234"

    /// A `refonte sandbox` process serving HTTPS with the test certificate; stopped after `body`.
    static func withTLSSandbox(
        _ body: (_ baseURL: String, _ environment: [String: String]) async throws -> Void
    )
        async throws
    {
        let certificates = try await TestCertificates.shared()
        let (environment, home) = try EmbeddedDefaultTests.freshEnvironment()
        defer { try? FileManager.default.removeItem(at: home) }
        let process = Process()
        process.executableURL = RunCLI.binary
        process.arguments = [
            "sandbox", "--port", "0", "--db", home.appendingPathComponent("tls.sqlite").path, "--seed",
            "demo",
            "--api-key", key, "--log-level", "error",
            "--tls-cert", certificates.server.certificate, "--tls-key", certificates.server.key,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try await ChildProcesses.shared.launch(process)
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let base = try await announcedBaseURL(on: output.fileHandleForReading, scheme: "https")
        var withKey = environment
        withKey["REFONTE_API_KEY"] = key
        try await body(base, withKey)
    }

    static let countTeam = ["-e", "print(#refonte.teams.list())"]

    @Test func aTLSSandboxIsReachedWithTheCAFromTheEnvironmentOrAProfile() async throws {
        let ca = try await TestCertificates.shared().ca
        try await Self.withTLSSandbox { base, environment in
            var fromEnvironment = environment
            fromEnvironment["REFONTE_CA_FILE"] = ca
            let first = try await RunCLI.run(
                ["run", "--base-url", base] + Self.countTeam,
                environment: fromEnvironment
            )
            #expect(first.status == 0, "\(first.standardError)")
            #expect(first.standardOutput == "60\n")

            let config = try #require(environment["XDG_CONFIG_HOME"]) + "/refonte"
            try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: ca, toPath: config + "/sandbox-ca.pem")
            try "[profiles.default]\nbase_url = \"\(base)\"\nca_file = \"sandbox-ca.pem\"\nca_only = true\n"
                .write(toFile: config + "/config.toml", atomically: true, encoding: .utf8)
            let second = try await RunCLI.run(["run"] + Self.countTeam, environment: environment)
            #expect(second.status == 0, "\(second.standardError)")
            #expect(second.standardOutput == "60\n")

            let status = try await RunCLI.run(["auth", "status"], environment: environment)
            #expect(status.status == 0)
            #expect(
                status.standardOutput.contains(
                    "ca:         \(config)/sandbox-ca.pem (ca_file of profile \"default\") only (ca_only)\n"
                )
            )
        }
    }

    @Test func withoutTheCAACallFailsAtOnceInPlainWords() async throws {
        try await Self.withTLSSandbox { base, environment in
            let output = try await RunCLI.run(
                ["run", "--base-url", base] + Self.countTeam,
                environment: environment
            )
            #expect(output.status == 1)
            let port = try #require(URL(string: base)?.port)
            let message = output.standardError
            #expect(
                message.contains(
                    "refonte.teams.list failed: tls: refused the TLS certificate of 127.0.0.1:\(port): "
                )
            )
            #expect(message.contains("no trusted certificate authority vouches for its certificate"))
            #expect(message.contains("REFONTE_CA_FILE=/path/to/ca.pem"))
            // One attempt: no "(after N attempts)", and no backoff to wait through.
            #expect(!message.contains("attempts"))
            #expect(output.seconds < 10, "took \(output.seconds) s")
            // The library's words, and the paths of the machine that built it, stay out.
            #expect(
                !message.contains("BoringSSL") && !message.contains(".cc:") && !message.contains("NIOSSL")
            )
        }
    }

    @Test func httpsGoesThroughAConnectProxyOnLoopback() async throws {
        let ca = try await TestCertificates.shared().ca
        let proxy = try await ConnectProxy.start()
        do {
            try await Self.withTLSSandbox { base, environment in
                var environment = environment
                environment["REFONTE_CA_FILE"] = ca
                environment["HTTPS_PROXY"] = proxy.url
                let output = try await RunCLI.run(
                    ["run", "--base-url", base] + Self.countTeam,
                    environment: environment
                )
                #expect(output.status == 0, "\(output.standardError)")
                #expect(output.standardOutput == "60\n")
                let port = try #require(URL(string: base)?.port)
                #expect(proxy.tunnels == ["127.0.0.1:\(port)"])

                environment["NO_PROXY"] = "127.0.0.1"
                let direct = try await RunCLI.run(
                    ["run", "--base-url", base] + Self.countTeam,
                    environment: environment
                )
                #expect(direct.status == 0, "\(direct.standardError)")
                #expect(proxy.tunnels.count == 1)
            }
        } catch {
            await proxy.stop()
            throw error
        }
        await proxy.stop()
    }

    /// The embedded sandbox lives in the process: no proxy could reach it, so none is used.
    @Test func theEmbeddedSandboxIsNeverReachedThroughAProxy() async throws {
        var (environment, home) = try EmbeddedDefaultTests.freshEnvironment()
        defer { try? FileManager.default.removeItem(at: home) }
        // Nothing listens on port 1: a call sent through this proxy would fail.
        environment["HTTP_PROXY"] = "http://127.0.0.1:1"
        environment["ALL_PROXY"] = "http://127.0.0.1:1"
        let output = try await RunCLI.run(["run"] + Self.countTeam, environment: environment)
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput == "60\n")
    }

    @Test func theSandboxRefusesHalfATLSSetupOrAMissingFile() async throws {
        let certificates = try await TestCertificates.shared()
        let half = try await RunCLI.run([
            "sandbox", "--db", "/nonexistent/x.sqlite", "--tls-cert", certificates.server.certificate,
        ])
        #expect(half.status == 2)
        #expect(half.standardError.contains("--tls-cert needs --tls-key"))
        let missing = try await RunCLI.run([
            "sandbox", "--port", "0", "--db", NSTemporaryDirectory() + "refonte-tls-\(UUID()).sqlite",
            "--tls-cert", "/nonexistent/cert.pem", "--tls-key", certificates.server.key,
        ])
        #expect(missing.status == 1)
        #expect(
            missing.standardError.contains(
                "cannot read the TLS certificate /nonexistent/cert.pem: no such file"
            )
        )
        let mismatched = try await RunCLI.run([
            "sandbox", "--port", "0", "--db", NSTemporaryDirectory() + "refonte-tls-\(UUID()).sqlite",
            "--tls-cert", certificates.server.certificate, "--tls-key", certificates.otherHost.key,
        ])
        #expect(mismatched.status == 1)
        #expect(mismatched.standardError.contains("does not fit the certificate"))
    }
}
