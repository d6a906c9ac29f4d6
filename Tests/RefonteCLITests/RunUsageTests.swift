import TestHelpers
import Testing

/// Bad command lines exit with 2 and say what is wrong and what is accepted.
@Suite struct RunUsageTests {
    @Test(
        arguments: [
            (["run"], "missing SCRIPT"),
            (["run", "-e", "x=1", "a.lua"], "give either SCRIPT (a.lua) or -e CODE, not both"),
            (
                ["run", "--timeout", "soon", "-e", ""],
                "--timeout: 'soon' is not a duration; use a number with ms, s, m or h, e.g. 500ms"
            ),
            (["run", "--timeout", "-5s", "-e", ""], "--timeout"),
            (["run", "--max-memory", "lots", "-e", ""], "--max-memory: 'lots' is not a size; use"),
            (["run", "--max-memory", "64", "-e", ""], "e.g. 64MB, 1GiB"),
            (
                ["run", "--allow-env", "A=B", "-e", ""],
                "--allow-env: 'A=B' is not an environment variable name"
            ),
            (["run", "--frobnicate", "-e", ""], "--frobnicate"),
        ]
    )
    func usageErrorsExitWithTwo(arguments: [String], expected: String) async throws {
        let output = try await RunCLI.run(arguments)
        #expect(output.status == 2)
        #expect(output.standardError.contains(expected), "\(output.standardError)")
    }

    @Test func aMissingScriptFileIsNamed() async throws {
        let output = try await RunCLI.run(["run", "no-such-script.lua"])
        #expect(output.status == 1)
        #expect(
            output.standardError.contains(
                "cannot read the script no-such-script.lua: No such file or directory"
            )
        )
    }
}
