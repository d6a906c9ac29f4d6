import ArgumentParser

struct Auth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Inspect which API credentials refonte will use.",
        subcommands: [AuthStatus.self],
        defaultSubcommand: AuthStatus.self
    )
}
