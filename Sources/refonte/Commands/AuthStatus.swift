import ArgumentParser
import Foundation
import Logging
import RefonteAPI

struct AuthStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show where the API key comes from (masked), the base URL and the limits."
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
        print(AuthStatusReport.render(resolved), terminator: "")
        for warning in resolved.warnings {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
    }
}

enum AuthStatusReport {
    static func render(_ resolved: ResolvedCredentials) -> String {
        var rows: [(String, String)] = []
        if let key = resolved.apiKey {
            rows.append(("source", resolved.source.description))
            rows.append(("api key", "\(key.masked) (\(key.mode.rawValue) mode)"))
        } else {
            rows.append(("source", "none"))
            rows.append(("api key", "not configured: `refonte run` will use the embedded sandbox"))
        }
        rows.append(("base url", "\(resolved.baseURL.absoluteString) (\(resolved.baseURLSource))"))
        rows.append(("profile", resolved.profile ?? "none"))
        rows.append(("config", resolved.configPath))
        rows.append(("rate limit", resolved.rateLimit?.description ?? "off"))
        rows.append(("timeout", format(resolved.timeout)))
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { name, value in
            name + ":" + String(repeating: " ", count: width - name.count + 1) + value + "\n"
        }.joined()
    }

    /// `60s`, or `1500ms` when not a whole number of seconds.
    private static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds)s" }
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000)ms"
    }
}
