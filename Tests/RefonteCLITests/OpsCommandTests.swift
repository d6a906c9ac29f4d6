import Foundation
import Testing

/// Runs the built `refonte` (beside the test bundle in the build folder) as a user would.
private func refonte(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("refonte")
    let binary =
        FileManager.default.isExecutableFile(atPath: beside.path)
        ? beside : packageRoot.appendingPathComponent(".build/debug/refonte")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = packageRoot
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
        process.terminationStatus, String(decoding: stdout, as: UTF8.self),
        String(decoding: stderr, as: UTF8.self)
    )
}

@Suite struct OpsCommandTests {
    @Test func listsEveryOperation() throws {
        let result = try refonte(["ops"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("teams.invite"))
        #expect(result.stdout.contains("studio.batches.set_priorities"))
    }

    @Test func describesOneOperation() throws {
        let result = try refonte(["ops", "describe", "refonte.tasks.list"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("GET /tasks"))
        #expect(result.stdout.contains("refonte.tasks.iter walks them: its limit caps the items"))
    }

    @Test func iteratorNamesDescribeTheirList() throws {
        let result = try refonte(["ops", "describe", "batches.iter"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("refonte.batches.list: "))
    }

    @Test func unknownOperationExitsTwoWithSuggestion() throws {
        let result = try refonte(["ops", "describe", "teams.invte"])
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "refonte ops describe: unknown operation 'teams.invte'; did you mean 'teams.invite'?\n"
        )
        #expect(result.stdout.isEmpty)
    }

    @Test func generatedFilesAreCurrent() throws {
        let result = try refonte(["ops", "generate", "--check"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func checkListsStaleFilesAndGenerateWritesThem() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "refonte-ops-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: root) }
        let stale = try refonte(["ops", "generate", "--check", "--root", root.path])
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("docs/api.md, types/refonte.lua, .luacheckrc"))
        let written = try refonte(["ops", "generate", "--root", root.path])
        #expect(written.status == 0)
        #expect(try refonte(["ops", "generate", "--check", "--root", root.path]).status == 0)
    }

    @Test func openAPIPrintsTheDocument() throws {
        let result = try refonte(["openapi", "--compact", "--server", "http://127.0.0.1:8080/v1"])
        #expect(result.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(json?["openapi"] as? String == "3.1.0")
        let servers = json?["servers"] as? [[String: Any]]
        #expect(servers?.first?["url"] as? String == "http://127.0.0.1:8080/v1")
    }
}
