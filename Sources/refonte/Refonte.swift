import ArgumentParser
import RefonteAPI

struct Refonte: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refonte",
        abstract: "Automate the Refonte.AI Data Engine API with Lua scripts.",
        discussion: """
            Examples:
              refonte run script.lua arg1 arg2       run a script (refonte run --help)
              refonte ops describe teams.invite      one operation, with an example
              refonte sandbox --seed demo            a local emulator of the API
              refonte auth status                    which key, URL and proxy calls use

            \(EnvironmentHelp.text())

            Shell completions: refonte --generate-completion-script bash|zsh|fish (README).
            """,
        version: "refonte \(RefonteVersion.current)",
        subcommands: [
            Run.self, Repl.self, Apply.self, AuditCommand.self, SandboxCommand.self, ScheduleCommand.self,
            SchedulerCommand.self, Ops.self, OpenAPICommand.self,
            Auth.self,
        ]
    )

    /// Like ArgumentParser's, but a usage error exits with 2 (documented for `run`), not 64.
    static func main() async {
        let words = CommandLine.arguments.dropFirst()
        if let help = defaultSubcommandHelp(for: Array(words)) {
            print(help)
            return
        }
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
                // A misspelt command or option explains the parser's complaint better than it can.
                if let advice = CommandLineAdvice.advice(
                    for: Array(CommandLine.arguments.dropFirst()),
                    root: self
                ) {
                    print(advice, to: &standardError)
                } else {
                    print(fullMessage(for: error), to: &standardError)
                }
                self.exit(withError: ExitCode(2))
            }
            self.exit(withError: error)
        }
    }

    /// `refonte sandbox --help`: a group that runs a default subcommand shows that subcommand's
    /// options too, since they are what `refonte sandbox --port 0` takes.
    static func defaultSubcommandHelp(for words: [String]) -> String? {
        guard words.count == 2, ["--help", "-h"].contains(words[1]),
            let group = configuration.subcommands.first(where: { $0.configuration.commandName == words[0] }),
            let fallback = group.configuration.defaultSubcommand,
            let name = fallback.configuration.commandName
        else { return nil }
        return helpMessage(for: group) + "\n\n"
            + "`refonte \(words[0])` alone runs `refonte \(words[0]) \(name)`:\n\n"
            + helpMessage(for: fallback)
    }
}
