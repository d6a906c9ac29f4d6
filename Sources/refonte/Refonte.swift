import ArgumentParser

@main
struct Refonte: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refonte",
        abstract: "Automate the Refonte.AI Data Engine API with Lua scripts.",
        subcommands: [
            Run.self, Repl.self, Apply.self, AuditCommand.self, SandboxCommand.self, ScheduleCommand.self,
            SchedulerCommand.self, Ops.self, OpenAPICommand.self,
            Auth.self,
        ]
    )

    /// Like ArgumentParser's, but a usage error exits with 2 (documented for `run`), not 64.
    static func main() async {
        TerminalLogHandler.bootstrap()
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                var standardError = StandardError()
                print(fullMessage(for: error), to: &standardError)
                self.exit(withError: ExitCode(2))
            }
            self.exit(withError: error)
        }
    }
}
