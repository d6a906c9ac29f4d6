import Foundation
import TestHelpers
import Testing

/// `os.exit(code)` in `refonte run`: the script's own code, after an orderly end.
@Suite struct ExitCodeTests {
    @Test func aScriptExitsWithItsCodeAfterUnwindingAndFlushing() async throws {
        let output = try await RunCLI.run([
            "run", "-e",
            """
            local t <close> = setmetatable({}, { __close = function() io.write('closed\\n') end })
            io.write('partial ')
            print(pcall(os.exit, 42))
            print('not reached')
            """,
        ])
        #expect(output.status == 42)
        #expect(output.standardOutput == "partial closed\n")
        #expect(output.standardError == "")
    }

    @Test(arguments: [("os.exit()", 0), ("os.exit(true)", 0), ("os.exit(false)", 1), ("os.exit(125)", 125)])
    func theCodesLuaAcceptsWork(code: String, status: Int32) async throws {
        let output = try await RunCLI.run(["run", "-e", code + " error('not reached')"])
        #expect(output.status == status, "\(output.standardError)")
        #expect(output.standardError == "")
    }

    @Test(arguments: [2, 3, 9, 126, 255])
    func theToolsCodesAreRefused(code: Int) async throws {
        let output = try await RunCLI.run(["run", "-e", "os.exit(\(code))"])
        #expect(output.status == 1)
        #expect(output.standardError.contains("os.exit: exit code \(code) is reserved for refonte"))
        #expect(output.standardError.contains("use 0, 1 or 10 to 125"))
    }

    /// The client is closed and the summary written, with the script's code, as for any end.
    @Test func anExitAfterAPICallsStillWritesTheSummary() async throws {
        let (environment, home) = try EmbeddedDefaultTests.freshEnvironment()
        defer { try? FileManager.default.removeItem(at: home) }
        let summary = home.appendingPathComponent("summary.json")
        let output = try await RunCLI.run(
            [
                "run", "--output", "json", "--summary-out", summary.path, "-e",
                "local team = refonte.teams.list() if #team > 0 then os.exit(17) end",
            ],
            environment: environment
        )
        #expect(output.status == 17, "\(output.standardError)")
        let json = try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any]
        #expect(json?["calls_total"] as? Int == 1, "\(output.standardOutput)")
        let file = try JSONSerialization.jsonObject(with: Data(contentsOf: summary)) as? [String: Any]
        #expect(file?["exit_code"] as? Int == 17, "\(String(describing: file))")
    }
}
