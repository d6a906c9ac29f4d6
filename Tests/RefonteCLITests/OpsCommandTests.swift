import Foundation
import TestHelpers
import Testing

@Suite struct OpsCommandTests {
    @Test func listsEveryOperation() async throws {
        let result = try await RunCLI.run(["ops"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("teams.invite"))
        #expect(result.standardOutput.contains("studio.batches.set_priorities"))
    }

    @Test func describesOneOperation() async throws {
        let result = try await RunCLI.run(["ops", "describe", "refonte.tasks.list"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("GET /tasks"))
        #expect(result.standardOutput.contains("refonte.tasks.iter walks them: its limit caps the items"))
    }

    @Test func iteratorNamesDescribeTheirList() async throws {
        let result = try await RunCLI.run(["ops", "describe", "batches.iter"])
        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("refonte.batches.list: "))
    }

    @Test func unknownOperationExitsTwoWithSuggestion() async throws {
        let result = try await RunCLI.run(["ops", "describe", "teams.invte"])
        #expect(result.status == 2)
        #expect(
            result.standardError
                == "refonte ops describe: unknown operation 'teams.invte'; did you mean 'teams.invite'?\n"
        )
        #expect(result.standardOutput.isEmpty)
    }

    @Test func generatedFilesAreCurrent() async throws {
        let result = try await RunCLI.run(["ops", "generate", "--check"])
        #expect(result.status == 0, "\(result.standardError)")
    }

    @Test func checkListsStaleFilesAndGenerateWritesThem() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "refonte-ops-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: root) }
        let stale = try await RunCLI.run(["ops", "generate", "--check", "--root", root.path])
        #expect(stale.status == 1)
        #expect(stale.standardError.contains("docs/api.md, types/refonte.lua, .luacheckrc"))
        let written = try await RunCLI.run(["ops", "generate", "--root", root.path])
        #expect(written.status == 0)
        #expect(try await RunCLI.run(["ops", "generate", "--check", "--root", root.path]).status == 0)
    }

    @Test func openAPIPrintsTheDocument() async throws {
        let result = try await RunCLI.run(["openapi", "--compact", "--server", "http://127.0.0.1:8080/v1"])
        #expect(result.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        #expect(json?["openapi"] as? String == "3.1.0")
        let servers = json?["servers"] as? [[String: Any]]
        #expect(servers?.first?["url"] as? String == "http://127.0.0.1:8080/v1")
    }
}
