import ArgumentParser
import Foundation

@main
struct Refonte: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refonte",
        abstract: "Automate the Refonte.AI Data Engine API with Lua scripts.",
        subcommands: [Auth.self]
    )

    /// ArgumentParser exits with 64 (EX_USAGE) on a bad flag; refonte promises 2, like most
    /// Unix tools, so scripts can tell a usage mistake from a failed run (1).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
