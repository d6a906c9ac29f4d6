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
        abstract: "List every operation: id, HTTP method and path, whether it mutates.",
        discussion: """
            Examples:
              refonte ops list
              refonte ops list --output json | jq -r '.[] | select(.mutates) | .id'
            """
    )

    @OptionGroup var output: OutputFormatFlag

    func run() throws {
        switch output.format {
        case .text: OpsOutput.print(OperationDescription.list(), terminator: "")
        case .json: OpsOutput.write(OperationDescription.listJSON().encodedPretty() + [0x0A])
        }
    }
}

struct OpsDescribe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract:
            "Show one operation: its arguments, an example Lua call, the HTTP mapping and what it returns.",
        discussion: """
            Examples:
              refonte ops describe teams.invite
              refonte ops describe tasks.iter               # the walk over tasks.list's pages
              refonte ops describe tasks.list --output json | jq '.arguments[].name'
            """
    )

    @OptionGroup var output: OutputFormatFlag

    @Argument(
        help: "Operation id, as in `refonte ops` (`teams.invite`); a leading `refonte.` is fine.",
        completion: .list(Catalog.operations.map(\.id))
    )
    var id: String

    func run() throws {
        let operation: Operation
        switch OperationDescription.lookup(id) {
        case .success(let found): operation = found
        case .failure(let unknown):
            OpsOutput.error("refonte ops describe: \(unknown)")
            throw ExitCode(2)
        }
        switch output.format {
        case .text: OpsOutput.print(OperationDescription.describe(operation), terminator: "")
        case .json: OpsOutput.write(OperationDescription.describeJSON(operation).encodedPretty() + [0x0A])
        }
    }
}
