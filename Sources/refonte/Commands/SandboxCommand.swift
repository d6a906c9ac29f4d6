import ArgumentParser

/// `refonte sandbox`: the local emulator of the API.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local sandbox that emulates the Refonte.AI API.",
        subcommands: [SandboxServeCommand.self, SandboxKeysCommand.self, SandboxResetCommand.self],
        defaultSubcommand: SandboxServeCommand.self
    )
}
