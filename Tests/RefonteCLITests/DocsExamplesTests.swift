import Foundation
import TestHelpers
import Testing

/// Every Lua example in the docs (`docs/api.md`, `docs/guide.md`) and in `refonte ops describe`
/// runs as written against the embedded sandbox's demo account.
@Suite struct DocsExamplesTests {
    /// The ```lua blocks of a Markdown file, with the line each starts on.
    static func luaBlocks(in file: String) throws -> [(line: Int, code: String)] {
        let text = try String(contentsOf: RunCLI.repositoryRoot.appendingPathComponent(file), encoding: .utf8)
        var blocks: [(Int, String)] = []
        var current: [Substring]?
        var start = 0
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if current == nil, line == "```lua" {
                current = []
                start = number + 2
            } else if current != nil, line == "```" {
                blocks.append((start, current!.joined(separator: "\n")))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    /// One script that runs each example in a function of its own, in order, and reports every
    /// one that failed (with its name) instead of stopping at the first.
    static func script(_ examples: [(name: String, code: String)]) -> String {
        var script = """
            local failed = {}
            local function example(name, fn)
              local ok, err = pcall(fn)
              if not ok then failed[#failed + 1] = name .. ": " .. tostring(err) end
            end

            """
        for (name, code) in examples {
            // An example may end its script with os.exit; here the others still have to run.
            script +=
                "example(\(String(reflecting: name)), function()\n"
                + "local os = setmetatable({ exit = function() end }, { __index = os })\n\(code)\nend)\n"
        }
        script += """
            if #failed > 0 then error(#failed .. " examples failed:\\n" .. table.concat(failed, "\\n"), 0) end
            print("ran \(examples.count) examples")
            """
        return script
    }

    private func run(_ examples: [(name: String, code: String)]) async throws {
        let (environment, home) = try EmbeddedDefaultTests.freshEnvironment()
        defer { try? FileManager.default.removeItem(at: home) }
        let output = try await RunCLI.run(
            ["run", "--rate", "off", "--sandbox-db", home.appendingPathComponent("docs.sqlite").path, "-"],
            input: Self.script(examples),
            environment: environment
        )
        #expect(output.status == 0, "\(output.standardError)")
        #expect(
            output.standardOutput.hasSuffix("ran \(examples.count) examples\n"),
            "\(output.standardOutput)"
        )
    }

    @Test func everyOperationsExampleRunsAndTheReferenceShowsThem() async throws {
        let list = try await RunCLI.run(["ops", "list", "--output", "json"])
        let ids = try #require(
            try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [[String: Any]]
        ).compactMap { $0["id"] as? String }
        var examples: [(name: String, code: String)] = []
        for id in ids {
            let describe = try await RunCLI.run(["ops", "describe", id, "--output", "json"])
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(describe.standardOutput.utf8)) as? [String: Any]
            )
            examples.append((id, try #require(object["example"] as? String)))
            // `refonte ops describe` shows the same example.
            let text = try await RunCLI.run(["ops", "describe", id]).standardOutput
            for line in (object["example"] as? String ?? "").split(separator: "\n") {
                #expect(text.contains("  " + line), "\(id)")
            }
        }
        let reference = try Self.luaBlocks(in: "docs/api.md").map(\.code)
        for (id, code) in examples {
            #expect(reference.contains(code), "docs/api.md lacks the example of \(id)")
        }
        try await run(examples)
    }

    @Test func everyExampleOfTheGuideRuns() async throws {
        let blocks = try Self.luaBlocks(in: "docs/guide.md")
        #expect(blocks.count >= 5)
        try await run(blocks.map { ("docs/guide.md:\($0.line)", $0.code) })
    }
}
