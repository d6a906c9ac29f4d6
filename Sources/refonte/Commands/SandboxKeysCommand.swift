import ArgumentParser
import Foundation
import Logging
import RefonteSandbox

/// `refonte sandbox keys create`: a new key, printed once.
struct SandboxKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage the sandbox's API keys.",
        subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create an API key and print it (it is shown only this once)."
        )

        @Option(help: "SQLite database file (default: $XDG_DATA_HOME/refonte/sandbox.sqlite).")
        var db: String?

        @Option(help: "test or live: the mode of the data that the key sees.")
        var mode: String = "test"

        @Option(help: "The account that the key opens (made when missing).")
        var account: String = "default"

        func run() async throws {
            guard let mode = Tenant.Mode(rawValue: mode) else {
                printError("refonte sandbox keys create: --mode \"\(mode)\": expected test or live")
                throw ExitCode(2)
            }
            guard !account.isEmpty else {
                printError("refonte sandbox keys create: --account must not be empty")
                throw ExitCode(2)
            }
            let path = db ?? SandboxConfiguration.defaultDatabasePath()
            let key: String
            do {
                let store = try SandboxStore(path: path, logger: Logger(label: "refonte.sandbox"))
                key = try store.createKey(account: account, mode: mode)
            } catch {
                printError("refonte sandbox keys create: cannot write \(path): \(error)")
                throw ExitCode(1)
            }
            print(key)
            printError(
                "Created a \(mode.rawValue) key for account \"\(account)\" in \(path). It is not shown again."
            )
        }
    }
}
