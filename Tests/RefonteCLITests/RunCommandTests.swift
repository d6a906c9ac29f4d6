import Foundation
import TestHelpers
import Testing

@Suite struct RunCommandTests {
    @Test func pcallCatchesATableError() async throws {
        let output = try await RunCLI.run([
            "run", "-e", "local ok, e = pcall(error, {code=1}); print(type(e), e.code)",
        ])
        #expect(output.status == 0)
        #expect(output.standardOutput == "table\t1\n")
    }

    @Test func aScriptErrorExitsWithOneAndATraceback() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "local function f()\n  error('boom')\nend\nf()\n".write(
            to: folder.appendingPathComponent("fail.lua"),
            atomically: true,
            encoding: .utf8
        )
        let output = try await RunCLI.run(["run", "fail.lua"], in: folder)
        #expect(output.status == 1)
        #expect(output.standardError.hasPrefix("refonte: fail.lua:2: boom\nstack traceback:"))
        #expect(output.standardError.contains("fail.lua:4: in main chunk"))
    }

    @Test func aSyntaxErrorExitsWithOne() async throws {
        let output = try await RunCLI.run(["run", "-e", "x = = 1"])
        #expect(output.status == 1)
        #expect(output.standardError.contains("(command line):1:"))
    }

    @Test func aTimeLimitExitsWithThreeEvenUnderPcall() async throws {
        let output = try await RunCLI.run(
            ["run", "--timeout", "300ms", "-e", "while true do pcall(function() while true do end end) end"]
        )
        #expect(output.status == 3)
        #expect(output.standardError.contains("time limit of 300ms exceeded (--timeout)"))
    }

    @Test func aMemoryLimitExitsWithThreeAndNamesTheLimit() async throws {
        let (output, peakKB) = try await RunCLI.runMeasuringPeakMemory(
            ["run", "--max-memory", "64MB", "-e", "local t={} for i=1,1e9 do t[i]=('x'):rep(1000)..i end"]
        )
        #expect(output.status == 3)
        #expect(output.standardError.contains("memory limit of 64MB exceeded (--max-memory)"))
        #if os(Linux)
        // The script fills the 64 MB of Lua memory it may have, so the peak shows that; and the
        // limit keeps it far below what the loop would take without one.
        #expect(peakKB > 48 * 1024 && peakKB < 200 * 1024, "peak RSS \(peakKB) KB")
        #endif
    }

    @Test func runningProgramsIsRefused() async throws {
        let output = try await RunCLI.run(["run", "-e", "os.execute('id')"])
        #expect(output.status == 1)
        #expect(output.standardError.contains("os.execute is not available in refonte scripts"))
        #expect(output.standardOutput.isEmpty)
    }

    @Test func readingAFileNeedsAllowRead() async throws {
        let denied = try await RunCLI.run(["run", "-e", "io.open('/etc/hostname')"])
        #expect(denied.status == 1)
        #expect(denied.standardError.contains("--allow-read /etc/hostname"))
        let allowed = try await RunCLI.run([
            "run", "--allow-read", "/etc/hostname", "-e", "assert(io.open('/etc/hostname'))",
        ])
        #expect(allowed.status == 0, "\(allowed.standardError)")
    }

    @Test func argumentsReachArgAndTheVarargs() async throws {
        let output = try await RunCLI.run(
            ["run", "-e", "print(arg[0], arg[1], arg[2], #arg, select('#', ...), ...)", "--", "a", "b c"]
        )
        #expect(output.status == 0)
        #expect(output.standardOutput == "-e\ta\tb c\t2\t2\ta\tb c\n")
    }

    @Test func codeMayStartWithADash() async throws {
        let output = try await RunCLI.run(["run", "-e", "-- a comment first\nprint('ran')"])
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput == "ran\n")
    }

    @Test func aDashReadsTheScriptFromStandardInput() async throws {
        let output = try await RunCLI.run(
            ["run", "-", "--", "x"],
            input: "#!/usr/bin/env refonte\nprint('stdin', arg[0], ...)\n"
        )
        #expect(output.status == 0)
        #expect(output.standardOutput == "stdin\t-\tx\n")
    }

    @Test func scriptsRequireTheirSiblings() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "return { greet = function(n) return 'hi ' .. n end }".write(
            to: folder.appendingPathComponent("helper.lua"),
            atomically: true,
            encoding: .utf8
        )
        try "print(require('helper').greet(arg[1]))".write(
            to: folder.appendingPathComponent("main.lua"),
            atomically: true,
            encoding: .utf8
        )
        let output = try await RunCLI.run([
            "run", folder.appendingPathComponent("main.lua").path, "--", "you",
        ])
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput == "hi you\n")
    }

    @Test func theHelloExampleRuns() async throws {
        let output = try await RunCLI.run(["run", "examples/hello.lua", "--", "from a test"])
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput.hasPrefix("hello, from a test (1 argument)\n"))
        #expect(output.standardOutput.contains("caught:\tfalse\tnot_found"))
    }

    @Test func helpDocumentsTheExitCodes() async throws {
        let output = try await RunCLI.run(["run", "--help"])
        #expect(output.status == 0)
        for line in [
            "0  the script finished", "1  the script raised an error", "2  usage error",
            "3  a limit was exceeded",
        ] {
            #expect(output.standardOutput.contains(line), "\(line)")
        }
    }

    @Test func aMisspeltLogLevelIsReportedAndInfoIsUsed() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["REFONTE_LOG_LEVEL"] = "verbose"
        let output = try await RunCLI.run(
            ["run", "-e", "log.debug('hidden') log.info('shown')"],
            environment: environment
        )
        #expect(output.status == 0)
        #expect(
            output.standardError.contains(
                #"warn: REFONTE_LOG_LEVEL: expected one of trace, debug, info, notice, warning, error, critical, got "verbose"; using info"#
            )
        )
        #expect(output.standardError.contains("info: shown"))
        #expect(!output.standardError.contains("hidden"))
        environment["REFONTE_LOG_LEVEL"] = "WARN"
        let quiet = try await RunCLI.run(
            ["run", "-e", "log.info('hidden') log.warn('shown')"],
            environment: environment
        )
        #expect(quiet.standardError == "warn: shown\n")
    }

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("refonte-cli-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
