import ArgumentParser
import Foundation
import Logging
import RefonteAPI

struct AuthStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "Show where the API key comes from (masked), the base URL, the limits, the CAs and the proxy."
    )

    @OptionGroup var credentials: CredentialFlags

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
        print(resolved.statusReport, terminator: "")
        for warning in resolved.warnings {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
    }
}
