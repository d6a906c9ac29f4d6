import ArgumentParser
import Foundation
import RefonteAPI
import RefonteScripting

struct OpsGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write docs/api.md, types/refonte.lua and .luacheckrc from the operation catalog."
    )

    @Flag(help: "Write nothing; exit 1 listing the files that are out of date.")
    var check = false

    @Option(help: "The package root to write into.")
    var root: String = FileManager.default.currentDirectoryPath

    func run() throws {
        let base = URL(fileURLWithPath: root, isDirectory: true)
        var stale: [String] = []
        for file in GeneratedFiles.all() {
            let url = base.appendingPathComponent(file.path)
            let current = try? String(contentsOf: url, encoding: .utf8)
            guard current != file.contents else { continue }
            stale.append(file.path)
            if !check {
                do {
                    try FileManager.default.createDirectory(
                        at: url.deletingLastPathComponent(),
                        withIntermediateDirectories: true
                    )
                    try Data(file.contents.utf8).write(to: url, options: .atomic)
                } catch {
                    OpsOutput.error(
                        "refonte ops generate: cannot write \(url.path): \(error.localizedDescription)"
                    )
                    throw ExitCode(1)
                }
                OpsOutput.print("wrote \(file.path)")
            }
        }
        if check && !stale.isEmpty {
            OpsOutput.error(
                "refonte ops generate --check: out of date (run `refonte ops generate`): "
                    + stale.joined(separator: ", ")
            )
            throw ExitCode(1)
        }
        if !check && stale.isEmpty { OpsOutput.print("up to date") }
    }
}
