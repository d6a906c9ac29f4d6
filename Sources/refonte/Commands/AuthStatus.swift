import ArgumentParser
import Foundation
import Logging
import RefonteAPI

struct AuthStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "Show where the API key comes from (masked), the base URL, the limits, the CAs and the proxy.",
        discussion: """
            Examples:
              refonte auth status
              refonte auth status --profile staging --output json | jq -r .base_url
            """
    )

    @OptionGroup var credentials: CredentialFlags

    @OptionGroup var output: OutputFormatFlag

    func run() async throws {
        // Warnings are printed below, so the resolver's own log lines are not needed here.
        let quiet = Logger(label: "refonte.auth", factory: { _ in SwiftLogNoOpLogHandler() })
        let resolved: ResolvedCredentials
        do {
            resolved = try CredentialResolver.resolve(credentials.options, logger: quiet)
        } catch {
            FileHandle.standardError.write(Data("refonte auth status: \(error)\n".utf8))
            throw ExitCode(error.kind == .usage ? 2 : 1)
        }
        switch output.format {
        case .text: print(resolved.statusReport, terminator: "")
        case .json: print(String(decoding: resolved.statusJSON.encodedPretty(), as: UTF8.self))
        }
        for warning in resolved.warnings {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
    }
}
