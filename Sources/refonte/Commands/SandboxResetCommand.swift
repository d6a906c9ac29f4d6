import ArgumentParser
import Foundation
import Logging
import RefonteSandbox

/// `refonte sandbox reset`: start the sandbox's data over.
struct SandboxResetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Start the sandbox's data over: the demo account as it was at first, or nothing.",
        discussion: """
            Removes the database (with the keys stored in it) and makes it again. Stop any \
            `refonte sandbox` serving it first. A file that is not a sandbox database is never removed.

            Examples:
              refonte sandbox reset                          # the embedded sandbox's data, as new
              refonte sandbox reset --db world-b.sqlite      # one of several worlds
              refonte run --sandbox-db world-b.sqlite script.lua
              refonte sandbox reset --seed none --db empty.sqlite
            """
    )

    @Option(help: "SQLite database file (default: $XDG_DATA_HOME/refonte/sandbox.sqlite).")
    var db: String?

    @Option(help: "What the account starts with: demo (the default) or none.")
    var seed: String = "demo"

    func run() throws {
        let seed: SandboxConfiguration.Seed?
        switch self.seed {
        case "none": seed = nil
        default:
            guard let chosen = SandboxConfiguration.Seed(rawValue: self.seed) else {
                printError("refonte sandbox reset: --seed \"\(self.seed)\": expected demo or none")
                throw ExitCode(2)
            }
            seed = chosen
        }
        let path = db ?? SandboxConfiguration.defaultDatabasePath()
        do {
            _ = try SandboxStore.reset(path: path, seed: seed, logger: Logger(label: "refonte.sandbox"))
        } catch {
            printError("refonte sandbox reset: \(error)")
            throw ExitCode(1)
        }
        print("reset \(path)" + (seed.map { " with the \($0.rawValue) seed" } ?? ", empty"))
    }
}
