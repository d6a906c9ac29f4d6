import ArgumentParser

@main
struct Refonte: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refonte",
        abstract: "Automate the Refonte.AI Data Engine API with Lua scripts.",
        subcommands: [OpenAPICommand.self, Ops.self, SandboxCommand.self]
    )
}
