import ArgumentParser
import RefonteAPI
import RefonteScripting

struct Ops: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ops",
        abstract: "List the API operations, describe one, or regenerate the files derived from them.",
        subcommands: [OpsList.self, OpsDescribe.self, OpsGenerate.self],
        defaultSubcommand: OpsList.self
    )
}

struct OpsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every operation: id, HTTP method and path, whether it mutates."
    )

    func run() throws {
        OpsOutput.print(OperationDescription.list(), terminator: "")
    }
}

struct OpsDescribe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract:
            "Show one operation: its arguments, an example Lua call, the HTTP mapping and what it returns."
    )

    @Argument(help: "Operation id, as in `refonte ops` (`teams.invite`); a leading `refonte.` is fine.")
    var id: String

    func run() throws {
        let operation: Operation
        switch OperationDescription.lookup(id) {
        case .success(let found): operation = found
        case .failure(let unknown):
            OpsOutput.error("refonte ops describe: \(unknown)")
            throw ExitCode(2)
        }
        OpsOutput.print(OperationDescription.describe(operation), terminator: "")
    }
}
