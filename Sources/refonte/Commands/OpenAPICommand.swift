import ArgumentParser
import RefonteAPI

struct OpenAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi",
        abstract: "Print the OpenAPI 3.1 document of the whole API, generated from the operation catalog."
    )

    @Option(help: "Server URL to name in the document.")
    var server: String = OpenAPIDocument.defaultServerURL

    @Flag(help: "Print compact JSON instead of indented JSON.")
    var compact = false

    func run() throws {
        let document = OpenAPIDocument.document(serverURL: server)
        OpsOutput.write(compact ? document.encoded() + [0x0A] : document.encodedPretty())
    }
}
