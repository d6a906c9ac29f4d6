import Foundation
import TestHelpers
import Testing

/// `refonte sandbox reset`, `refonte run --sandbox-db`, `csv.write`, debug logs and the
/// examples, against the embedded sandbox as a user meets it.
@Suite struct SandboxWorldsTests {
    private func world() throws -> (environment: [String: String], home: URL) {
        try EmbeddedDefaultTests.freshEnvironment()
    }

    @Test func resetStartsAWorldOverAndSeparateWorldsStaySeparate() async throws {
        let (environment, home) = try world()
        defer { try? FileManager.default.removeItem(at: home) }
        let a = home.appendingPathComponent("a.sqlite").path
        let b = home.appendingPathComponent("b.sqlite").path
        let invite = "refonte.teams.invite{emails = {'new.person@example.com'}, role = 'member'}"
        let count = "local n = 0 for _, m in ipairs(refonte.teams.list()) do n = n + 1 end print(n)"
        #expect(
            try await RunCLI.run(["run", "--sandbox-db", a, "-e", invite], environment: environment).status
                == 0
        )
        let inA = try await RunCLI.run(["run", "--sandbox-db", a, "-e", count], environment: environment)
        let inB = try await RunCLI.run(["run", "--sandbox-db", b, "-e", count], environment: environment)
        #expect(inA.standardOutput == "61\n", "\(inA.standardError)")
        #expect(inB.standardOutput == "60\n", "\(inB.standardError)")
        #expect(inA.standardError.contains("--sandbox-db: using the embedded sandbox"))

        let reset = try await RunCLI.run(["sandbox", "reset", "--db", a], environment: environment)
        #expect(reset.status == 0, "\(reset.standardError)")
        #expect(reset.standardOutput.contains("with the demo seed"))
        let after = try await RunCLI.run(["run", "--sandbox-db", a, "-e", count], environment: environment)
        #expect(after.standardOutput == "60\n")

        // A file that is not a sandbox database is never removed.
        let precious = home.appendingPathComponent("precious.txt")
        try "keep me\n".write(to: precious, atomically: true, encoding: .utf8)
        let refused = try await RunCLI.run(
            ["sandbox", "reset", "--db", precious.path],
            environment: environment
        )
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("is not a sandbox database"))
        #expect(try String(contentsOf: precious, encoding: .utf8) == "keep me\n")
    }

    @Test func csvWriteQuotesAsRFC4180AndNeedsAllowWrite() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("refonte-csv-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.csv").path
        let script = """
            local n = csv.write(\"\(out)\", {
              { email = "a@x.com", note = 'said "hi", left', count = 3 },
              { email = "b@x.com", note = "two\\nlines", ratio = 0.5, ok = true },
            }, { header = { "email", "note", "count", "ratio", "ok" } })
            print(n)
            """
        let denied = try await RunCLI.run(["run", "-e", script], in: dir)
        #expect(denied.status == 1)
        #expect(denied.standardError.contains("--allow-write"))
        #expect(!FileManager.default.fileExists(atPath: out))

        let written = try await RunCLI.run(["run", "--allow-write", dir.path, "-e", script], in: dir)
        #expect(written.status == 0, "\(written.standardError)")
        #expect(written.standardOutput == "2\n")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(
            text == "email,note,count,ratio,ok\r\na@x.com,\"said \"\"hi\"\", left\",3,,\r\n"
                + "b@x.com,\"two\nlines\",,0.5,true\r\n"
        )
        // It reads back as it was written.
        let back = try await RunCLI.run(
            [
                "run", "--allow-read", dir.path, "-e",
                "local r = csv.read('\(out)') print(r[1].note, r[2].ok, #r)",
            ],
            in: dir
        )
        #expect(back.standardOutput == "said \"hi\", left\ttrue\t2\n", "\(back.standardError)")

        // A bad row is refused before anything is written.
        let bad = try await RunCLI.run(
            ["run", "--allow-write", dir.path, "-e", "csv.write('\(dir.path)/bad.csv', {{1, 2}, {1, {}}})"],
            in: dir
        )
        #expect(bad.status == 1)
        #expect(
            bad.standardError.contains("csv.write: row 2, column 2: a table cannot be a CSV field"),
            "\(bad.standardError)"
        )
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/bad.csv"))
    }

    @Test func aRelativeCSVPathThatIsMissingNamesTheFileBesideTheScript() async throws {
        let (environment, home) = try world()
        defer { try? FileManager.default.removeItem(at: home) }
        let output = try await RunCLI.run(
            ["run", "examples/onboard_labelers.lua", "labelers.csv"],
            environment: environment
        )
        #expect(output.status == 1)
        #expect(
            output.standardError.contains("the file the script may read is examples/labelers.csv"),
            "\(output.standardError)"
        )
    }

    @Test func debugLogsShowOneLinePerCallAndNoServerInternals() async throws {
        let (environment, home) = try world()
        defer { try? FileManager.default.removeItem(at: home) }
        var debug = environment
        debug["REFONTE_LOG_LEVEL"] = "debug"
        let output = try await RunCLI.run(["run", "-e", "refonte.teams.list()"], environment: debug)
        #expect(output.status == 0, "\(output.standardError)")
        let calls = output.standardError.split(separator: "\n").filter {
            $0.hasPrefix("debug: refonte.teams.list GET ")
        }
        #expect(calls.count == 1, "\(output.standardError)")
        if let line = calls.first {
            #expect(line.contains("/teams 200 "))
            for field in ["attempt=1", "duration=", "received=", "sent=0"] {
                #expect(line.contains(field), "\(line)")
            }
        }
        #expect(output.standardError.utf8.count < 4000, "\(output.standardError.utf8.count) bytes of logs")
    }

    @Test func cleanupDisabledSaysWhatItAskedFor() async throws {
        let (environment, home) = try world()
        defer { try? FileManager.default.removeItem(at: home) }
        let output = try await RunCLI.run(["run", "examples/cleanup_disabled.lua"], environment: environment)
        #expect(output.status == 0, "\(output.standardError)")
        #expect(
            output.standardOutput.hasPrefix("asked to remove 4 disabled teammates from 4 Studio projects")
        )
        #expect(!output.standardOutput.contains("cleared"))
    }
}

extension SandboxWorldsTests {
    @Test func anEmptyWorldStaysEmptyInTheEmbeddedSandbox() async throws {
        let (environment, home) = try world()
        defer { try? FileManager.default.removeItem(at: home) }
        let empty = home.appendingPathComponent("empty.sqlite").path
        let reset = try await RunCLI.run(
            ["sandbox", "reset", "--db", empty, "--seed", "none"],
            environment: environment
        )
        #expect(reset.status == 0, "\(reset.standardError)")
        #expect(reset.standardOutput.hasSuffix(", empty\n"))
        let output = try await RunCLI.run(
            ["run", "--sandbox-db", empty, "-e", "print(#refonte.teams.list(), #refonte.projects.list())"],
            environment: environment
        )
        #expect(output.standardOutput == "0\t0\n", "\(output.standardError)")
    }
}
