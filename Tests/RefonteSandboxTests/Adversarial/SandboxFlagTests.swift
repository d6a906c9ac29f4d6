import Foundation
import TestHelpers
import Testing

/// Every numeric option of `refonte sandbox`, given a value out of its range or not a number at
/// all: a usage error (exit 2) naming the option and what it takes, never a trap, and nothing
/// written.
@Suite("The sandbox's options are range-checked")
struct SandboxFlagTests {
    @Test(arguments: [
        (["--rate-limit", "1e19/s"], "--rate-limit", "not a positive decimal number"),
        (["--rate-limit", "0.00001/s"], "--rate-limit", "less than 0.001"),
        (["--rate-limit=-5/s"], "--rate-limit", "not a positive decimal number"),
        (["--rate-limit", "nan/s"], "--rate-limit", "not a positive decimal number"),
        (["--rate-limit", "inf/s"], "--rate-limit", "not a positive decimal number"),
        (["--rate-limit", "5/s,burst=99999999999999999999"], "--rate-limit", "N from 1 to 1000000"),
        (["--rate-limit", "5/s,burst=2000000"], "--rate-limit", "burst"),
        (["--rate-limit", "5/s,burst=-1"], "--rate-limit", "burst"),
        (["--port", "99999"], "--port", "0 to 65535"),
        (["--port", "-1"], "--port", "0 to 65535"),
        (["--port", "99999999999999999999999"], "--port", "invalid"),
        (["--port", "eighty"], "--port", "invalid"),
        (["--faults", "error=1.5"], "--faults", "from 0 to 1"),
        (["--faults", "throttle=-0.1"], "--faults", "from 0 to 1"),
        (["--faults", "reset=nan"], "--faults", "from 0 to 1"),
        (["--faults", "late-error=inf"], "--faults", "from 0 to 1"),
        (["--faults", "error=0.6,throttle=0.6"], "--faults", "must not exceed 1"),
        (["--faults", "latency=99999999999999999999ms"], "--faults", "60000"),
        (["--faults", "latency=-5ms"], "--faults", "60000"),
        (["--max-connections", "0"], "--max-connections", "1 to 100000"),
        (["--max-connections", "-3"], "--max-connections", "1 to 100000"),
        (["--max-connections", "100001"], "--max-connections", "1 to 100000"),
        (["--max-connections", "99999999999999999999"], "--max-connections", "invalid"),
        (["--idle-timeout", "0s"], "--idle-timeout", "100ms to 1h"),
        (["--idle-timeout", "50ms"], "--idle-timeout", "100ms to 1h"),
        (["--idle-timeout", "2h"], "--idle-timeout", "100ms to 1h"),
        (["--idle-timeout", "1e30s"], "--idle-timeout", "100ms to 1h"),
        (["--idle-timeout", "forever"], "--idle-timeout", "100ms to 1h"),
        (["--header-timeout=-1s"], "--header-timeout", "100ms to 1h"),
        (["--header-timeout", "99999999999h"], "--header-timeout", "100ms to 1h"),
        (["--log-level", "loud"], "--log-level", "warning"),
    ])
    func aBadValueIsAUsageError(arguments: [String], option: String, hint: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "refonte-flags-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("never.sqlite").path
        let result = try await CLITests.run(["sandbox", "--port", "0", "--db", database] + arguments)
        #expect(result.status == 2, "\(arguments): exit \(result.status), \(result.standardError)")
        #expect(result.standardError.contains(option), "\(arguments): \(result.standardError)")
        #expect(result.standardError.contains(hint), "\(arguments): \(result.standardError)")
        #expect(!result.standardError.contains("Fatal error"), "\(arguments): \(result.standardError)")
        #expect(result.standardOutput.isEmpty, "\(arguments): \(result.standardOutput)")
        #expect(!FileManager.default.fileExists(atPath: folder.path), "\(arguments) created \(folder.path)")
    }

    /// The same values at the edges of their ranges are accepted: the server starts.
    @Test func valuesAtTheEdgesOfTheirRangesStartTheServer() async throws {
        let server = try await SandboxProcess.start([
            "--rate-limit", "1000000/s,burst=1000000", "--faults", "error=0,throttle=0,reset=0,latency=0ms",
            "--max-connections", "1", "--idle-timeout", "100ms", "--header-timeout", "1h", "--log-level",
            "warn",
        ])
        defer { server.stop() }
        // With a 100 ms idle timeout, a busy machine can reach the timer before the request.
        let (status, _) = try await AdversarialServerTests.getRetryingResets(
            "\(server.baseURL)/teams",
            budget: .seconds(30)
        )
        #expect(status == 200)
    }

    @Test func theHelpTeachesTheLimits() async throws {
        let help = try await CLITests.run(["sandbox", "serve", "--help"])
        #expect(help.status == 0)
        for text in [
            "--max-connections", "--idle-timeout", "--header-timeout", "(default: 512)", "(default: 75s)",
            "(default: 10s)", "ulimit -n",
        ] {
            #expect(help.standardOutput.contains(text), "\(text) missing from --help")
        }
    }
}
