import Foundation
import TestHelpers
import Testing

/// The command line forgives and teaches (issue 11, §6).
@Suite struct CommandLineTests {
    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("refonte-cl-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func aMisspeltCommandGetsItsName() async throws {
        let output = try await RunCLI.run(["rnu", "x.lua"])
        #expect(output.status == 2)
        #expect(
            output.standardError.contains("unknown command 'rnu'. Did you mean 'run'?"),
            "\(output.standardError)"
        )
        let nested = try await RunCLI.run(["sandbox", "rest"])
        #expect(nested.status == 2)
        #expect(nested.standardError.contains("Did you mean 'reset'?"), "\(nested.standardError)")
    }

    @Test func aMisspeltOptionGetsItsName() async throws {
        let output = try await RunCLI.run(["run", "--timout", "3s", "-e", "print(1)"])
        #expect(output.status == 2)
        #expect(
            output.standardError.contains("unknown option '--timout'. Did you mean '--timeout'?"),
            "\(output.standardError)"
        )
        #expect(!output.standardError.contains("give either"))
        let ops = try await RunCLI.run(["ops", "list", "--outptu", "json"])
        #expect(ops.status == 2)
        #expect(ops.standardError.contains("'--output'"), "\(ops.standardError)")
    }

    @Test func versionPrintsTheVersion() async throws {
        let output = try await RunCLI.run(["--version"])
        #expect(output.status == 0)
        #expect(output.standardOutput.hasPrefix("refonte 0."))
    }

    @Test func wordsAfterTheScriptAreTheScripts() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "print(#arg, ...)\n".write(
            to: dir.appendingPathComponent("args.lua"),
            atomically: true,
            encoding: .utf8
        )
        let plain = try await RunCLI.run(["run", "args.lua", "a", "--timeout", "b"], in: dir)
        #expect(plain.standardOutput == "3\ta\t--timeout\tb\n", "\(plain.standardError)")
        let dashed = try await RunCLI.run(["run", "--timeout", "5s", "args.lua", "--", "a", "b"], in: dir)
        #expect(dashed.standardOutput == "2\ta\tb\n", "\(dashed.standardError)")
        let code = try await RunCLI.run(["run", "-e", "print(...)", "--", "x", "y"])
        #expect(code.standardOutput == "x\ty\n", "\(code.standardError)")
        let both = try await RunCLI.run(["run", "-e", "print(1)", "args.lua"], in: dir)
        #expect(both.status == 2)
        #expect(both.standardError.contains("give either SCRIPT (args.lua) or -e CODE"))
    }

    @Test func sandboxHelpShowsTheServeOptions() async throws {
        let output = try await RunCLI.run(["sandbox", "--help"])
        #expect(output.status == 0)
        for option in ["--port", "--seed", "--rate-limit", "--max-connections", "reset", "keys"] {
            #expect(output.standardOutput.contains(option), "\(option)")
        }
    }

    /// Every environment variable the code reads is in `refonte --help` and the README.
    @Test func everyEnvironmentVariableReadIsListed() async throws {
        let help = try await RunCLI.run(["--help"]).standardOutput
        let readme = try String(
            contentsOf: RunCLI.repositoryRoot.appendingPathComponent("README.md"),
            encoding: .utf8
        )
        let sources = RunCLI.repositoryRoot.appendingPathComponent("Sources")
        var names = Set<String>()
        let pattern = try Regex(
            #"(?:environment\[|getenv\()"([A-Z][A-Z0-9_]+)"|environmentVariable = "([A-Z_]+)"|"((?:HTTPS?|ALL|NO)_PROXY)""#
        )
        for case let file as URL in FileManager.default.enumerator(
            at: sources,
            includingPropertiesForKeys: nil
        )!
        where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: pattern) {
                for index in 1..<match.output.count {
                    if let name = match.output[index].substring { names.insert(String(name)) }
                }
            }
        }
        #expect(names.count > 10, "\(names)")
        for name in names {
            #expect(help.contains(name), "refonte --help does not list \(name)")
            #expect(readme.contains("`\(name)`"), "README does not list \(name)")
        }
    }

    @Test func describeFitsOneHundredColumns() async throws {
        for id in ["tasks.list", "teams.invite", "tasks.create", "studio.batches.set_priorities"] {
            let output = try await RunCLI.run(["ops", "describe", id])
            #expect(output.status == 0)
            let wide = output.standardOutput.split(separator: "\n").filter { $0.count > 100 }
            #expect(wide.isEmpty, "\(id): \(wide)")
        }
        // The wrapped choices are all still there.
        let tasks = try await RunCLI.run(["ops", "describe", "tasks.list"]).standardOutput
        #expect(tasks.contains("videoboxannotation"))
    }

    @Test func opsAndAuthSpeakJSON() async throws {
        let list = try await RunCLI.run(["ops", "list", "--output", "json"])
        let operations = try #require(
            try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [[String: Any]]
        )
        #expect(
            operations.contains { $0["id"] as? String == "teams.invite" && $0["mutates"] as? Bool == true }
        )
        let describe = try await RunCLI.run(["ops", "describe", "tasks.list", "--output", "json"])
        let one = try #require(
            try JSONSerialization.jsonObject(with: Data(describe.standardOutput.utf8)) as? [String: Any]
        )
        #expect(one["method"] as? String == "GET")
        let arguments = try #require(one["arguments"] as? [[String: Any]])
        let status = try #require(arguments.first { $0["name"] as? String == "status" })
        #expect((status["choices"] as? [String])?.contains("pending") == true)

        let (environment, home) = try EmbeddedDefaultTests.freshEnvironment()
        defer { try? FileManager.default.removeItem(at: home) }
        var keyed = environment
        keyed["REFONTE_API_KEY"] = "test_abcdefghijklmnop1234"
        let auth = try await RunCLI.run(["auth", "status", "--output", "json"], environment: keyed)
        #expect(auth.status == 0, "\(auth.standardError)")
        let status2 = try #require(
            try JSONSerialization.jsonObject(with: Data(auth.standardOutput.utf8)) as? [String: Any]
        )
        #expect(status2["sandbox"] as? Bool == false)
        #expect((status2["api_key"] as? String)?.contains("abcdefghijklmnop") == false)
        #expect(!auth.standardOutput.contains("test_abcdefghijklmnop1234"))
    }

    @Test func generateWritesOnlyIntoACheckoutOrTheRootGiven() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Someone else's docs/api.md in the current folder is left alone.
        let docs = dir.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        try "# My API\n".write(to: docs.appendingPathComponent("api.md"), atomically: true, encoding: .utf8)
        let outside = try await RunCLI.run(["ops", "generate"], in: dir)
        #expect(outside.status == 2)
        #expect(outside.standardError.contains("not inside a refonte checkout"))
        let rooted = try await RunCLI.run(["ops", "generate", "--root", dir.path], in: dir)
        #expect(rooted.status == 1)
        #expect(rooted.standardError.contains("was not generated by refonte"))
        #expect(
            try String(contentsOf: docs.appendingPathComponent("api.md"), encoding: .utf8) == "# My API\n"
        )

        let stubs = dir.appendingPathComponent("stubs")
        let written = try await RunCLI.run(["ops", "generate", "--stubs", stubs.path], in: dir)
        #expect(written.status == 0, "\(written.standardError)")
        let stub = try String(contentsOf: stubs.appendingPathComponent("refonte.lua"), encoding: .utf8)
        #expect(stub.hasPrefix("---@meta refonte"))
        #expect(FileManager.default.fileExists(atPath: stubs.appendingPathComponent(".luacheckrc").path))
    }

    @Test func completionsCompleteOperationIDs() async throws {
        let output = try await RunCLI.run(["--generate-completion-script", "bash"])
        #expect(output.status == 0)
        #expect(output.standardOutput.contains("studio.batches.set_priorities"))
    }
}

/// scripts/install puts the binary and its completions under a prefix (the build it starts
/// by default is the release build `scripts/demo` makes; here the test's own binary stands in).
@Suite struct InstallScriptTests {
    @Test func installsTheBinaryAndItsCompletions() async throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("refonte-prefix-\(UUID())")
        defer { try? FileManager.default.removeItem(at: prefix) }
        var environment = ProcessInfo.processInfo.environment
        environment["REFONTE_INSTALL_BINARY"] = RunCLI.binary.path
        let output = try await RunCLI.run(
            [prefix.path],
            environment: environment,
            executable: RunCLI.repositoryRoot.appendingPathComponent("scripts/install").path
        )
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput.contains("installed refonte 0."))
        let installed = prefix.appendingPathComponent("bin/refonte").path
        #expect(FileManager.default.isExecutableFile(atPath: installed))
        for completion in [
            "share/bash-completion/completions/refonte", "share/zsh/site-functions/_refonte",
            "share/fish/vendor_completions.d/refonte.fish",
        ] {
            let text = try String(contentsOf: prefix.appendingPathComponent(completion), encoding: .utf8)
            #expect(text.contains("teams.invite"), "\(completion)")
        }
    }
}

extension CommandLineTests {
    /// Options of a group's default subcommand are known: a bad value keeps its own message.
    @Test func theDefaultSubcommandsOptionsAreKnown() async throws {
        let output = try await RunCLI.run(["sandbox", "--port", "0", "--rate-limt", "5/s"])
        #expect(output.status == 2)
        #expect(output.standardError.contains("unknown option '--rate-limt'. Did you mean '--rate-limit'?"))
        let bad = try await RunCLI.run(["sandbox", "--port", "eighty"])
        #expect(bad.status == 2)
        #expect(!bad.standardError.contains("unknown option"), "\(bad.standardError)")
    }
}
