import Foundation
import RefonteAPI
import RefonteSandbox
import TestHelpers
import Testing

/// The end-of-run summary, the pace of the embedded sandbox, and the flags around writes.
@Suite("Run summary and pacing flags")
struct RunSummaryTests {
    /// The embedded sandbox gets the client rate limit a real account gets (20/s), so
    /// development shows what production will cost; `--rate off` lifts it.
    @Test func theEmbeddedSandboxIsPacedLikeAnAccount() async throws {
        let (environment, home) = try EmbeddedDefaultTests.freshEnvironment()
        defer { try? FileManager.default.removeItem(at: home) }
        let script = "for _ = 1, 30 do refonte.teams.list() end"
        let paced = try await RunCLI.run(["run", "--output", "json", "-e", script], environment: environment)
        #expect(paced.status == 0, "\(paced.standardError)")
        let summary = try JSONValue.parse(
            paced.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        )
        #expect(summary.value(at: ["rate_limit"]) == "20/s (burst 20)")
        #expect(summary.value(at: ["calls_total"]) == 30)
        guard case .double(let throttled)? = summary.value(at: ["throttled_seconds"]) else {
            throw FixtureError("no throttled time in \(summary)")
        }
        // Calls that take longer than the pace need no wait, so how long the client waited
        // depends on the machine: some waiting shows the default limit at work.
        #expect(throttled > 0)

        // At 4 a second with no burst, 8 calls after the first wait up to 1/4 s each: over a
        // second in all unless each call itself took over 1/8 s.
        let slow = try await RunCLI.run(
            [
                "run", "--rate", "4/s", "--burst", "1", "--output", "json", "-e",
                "for _ = 1, 9 do refonte.teams.list() end",
            ],
            environment: environment
        )
        #expect(slow.status == 0, "\(slow.standardError)")
        let slowSummary = try JSONValue.parse(
            slow.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        )
        guard case .double(let waited)? = slowSummary.value(at: ["throttled_seconds"]) else {
            throw FixtureError("no throttled time in \(slowSummary)")
        }
        #expect(waited > 1, "\(slowSummary)")

        let free = try await RunCLI.run(["run", "--rate", "off", "-e", script], environment: environment)
        #expect(free.status == 0, "\(free.standardError)")
        #expect(free.standardError.contains("throttled  no client rate limit (--rate off)"))
        #expect(free.standardError.contains("calls      30: teams.list 30"))
    }

    @Test func aRunWithoutCallsPrintsNoSummary() async throws {
        let (environment, home) = try EmbeddedDefaultTests.freshEnvironment()
        defer { try? FileManager.default.removeItem(at: home) }
        let output = try await RunCLI.run(["run", "-e", "print(1)"], environment: environment)
        #expect(output.status == 0)
        #expect(output.standardError.isEmpty)
    }

    @Test(arguments: [
        (["--plan-out", "p.json", "-e", "print(1)"], "--plan-out needs --dry-run"),
        (["--rate", "fast", "-e", "print(1)"], #"--rate: invalid rate limit "fast""#),
        (["--rate", "off", "--burst", "5", "-e", "print(1)"], "--burst: there is no burst with --rate off"),
        (["--burst", "0", "-e", "print(1)"], "--burst: expected a whole number of at least 1, got 0"),
        (["--output", "yaml", "-e", "print(1)"], "--output"),
    ])
    func badFlagsAreUsageErrors(arguments: [String], message: String) async throws {
        let (environment, home) = try EmbeddedDefaultTests.freshEnvironment()
        defer { try? FileManager.default.removeItem(at: home) }
        let output = try await RunCLI.run(["run"] + arguments, environment: environment)
        #expect(output.status == 2)
        #expect(output.standardError.contains(message), "\(output.standardError)")
    }

    @Test func aMisspeltDryRunVariableIsAUsageError() async throws {
        var (environment, home) = try EmbeddedDefaultTests.freshEnvironment()
        defer { try? FileManager.default.removeItem(at: home) }
        environment["REFONTE_DRY_RUN"] = "perhaps"
        let output = try await RunCLI.run(["run", "-e", "print(1)"], environment: environment)
        #expect(output.status == 2)
        #expect(output.standardError.contains(#"REFONTE_DRY_RUN: expected 1 or 0, got "perhaps""#))
    }

    /// On a terminal, apply shows the plan and asks; only "yes" goes on. (`script` gives the
    /// command a pseudo-terminal.)
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func applyAsksOnATerminal() async throws {
        let fixture = try await SandboxFixture.start()
        defer { fixture.removeHome() }
        let plan = fixture.home.appendingPathComponent("plan.json").path
        let dry = try await fixture.refonte(
            [
                "run", "--dry-run", "--plan-out", plan, "-e",
                #"refonte.teams.set_role{emails = {"nobody@example.com"}, role = "member"}"#,
            ],
            []
        )
        #expect(dry.status == 0, "\(dry.standardError)")
        func applyOnATerminal(answer: String) async throws -> RunCLI.Output {
            let command = [RunCLI.binary.path, "apply", "--base-url", fixture.sandbox.baseURL, plan]
                .map { "'\($0)'" }.joined(separator: " ")
            return try await RunCLI.run(
                ["-qec", command, "/dev/null"],
                input: answer + "\n",
                environment: fixture.environment,
                executable: "/usr/bin/script"
            )
        }
        let declined = try await applyOnATerminal(answer: "no")
        #expect(
            declined.standardOutput.contains(
                "Apply this write to \(fixture.sandbox.baseURL)? Type yes to go on:"
            )
        )
        #expect(declined.standardOutput.contains("refonte.teams.set_role × 1"))
        #expect(declined.standardOutput.contains("nothing was applied"))
        #expect(try await fixture.requestCounts().writes == 0)
        let accepted = try await applyOnATerminal(answer: "yes")
        #expect(accepted.standardOutput.contains("stopped at write 1 of 1"), "\(accepted.standardOutput)")
        #expect(try await fixture.requestCounts().writes == 1)
        await fixture.stop()
    }
}
