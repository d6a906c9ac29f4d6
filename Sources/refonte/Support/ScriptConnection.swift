import Foundation
import Logging
import RefonteAPI
import RefonteSandbox
import RefonteScripting

/// Decides where a script's API calls go: the configured account, or, with no key anywhere
/// (or `--sandbox`), the embedded sandbox. Nothing starts before the first call: the client
/// (its event loop, its TLS context) and the sandbox are made when a call needs them. Both get
/// the same client rate limit (`resolved.rateLimit`: the profile's, `--rate`, or 20/s), so a
/// script is paced against the sandbox as it would be against an account.
struct ScriptConnection {
    var connection: APIConnection
    var facts: RunFacts

    /// `session` makes the run's session once the target is known.
    static func make(
        credentials resolved: ResolvedCredentials,
        forceSandbox: Bool,
        sandboxDatabase: String? = nil,
        explicitBaseURL: Bool,
        dryRun: Bool = false,
        session makeSession: (RunTarget) -> RunSession,
        logger: Logger
    ) throws(ConnectionSetupError) -> ScriptConnection {
        let forceSandbox = forceSandbox || sandboxDatabase != nil
        if !forceSandbox, let configuration = resolved.clientConfiguration(userAgentSuffix: "run") {
            let baseURL = configuration.baseURL.absoluteString
            let session = makeSession(.account(baseURL: baseURL))
            let connection = APIConnection(session: session) {
                APIConnection.Endpoint(
                    client: APIClient(
                        configuration: configuration,
                        statistics: session.statistics,
                        logger: logger
                    ),
                    baseURL: baseURL
                )
            }
            return ScriptConnection(
                connection: connection,
                facts: RunFacts(profile: resolved.profile, baseURL: baseURL, sandbox: false, dryRun: dryRun)
            )
        }
        if explicitBaseURL, !forceSandbox {
            throw ConnectionSetupError(
                "--base-url \(resolved.baseURL.absoluteString) needs an API key: give --api-key-file, "
                    + "set REFONTE_API_KEY or use a profile (`refonte auth status` shows what is configured)"
            )
        }
        let reason =
            sandboxDatabase != nil ? "--sandbox-db" : forceSandbox ? "--sandbox" : "no API key is configured"
        let path = sandboxDatabase ?? SandboxConfiguration.defaultDatabasePath()
        let session = makeSession(.embeddedSandbox(database: path))
        let rateLimit = resolved.rateLimit
        return ScriptConnection(
            connection: APIConnection(session: session) {
                try await embeddedSandbox(
                    reason: reason,
                    path: path,
                    rateLimit: rateLimit,
                    statistics: session.statistics,
                    logger: logger
                )
            },
            facts: RunFacts(profile: resolved.profile, baseURL: nil, sandbox: true, dryRun: dryRun)
        )
    }

    /// The seeded sandbox in this process, its data kept under the XDG data folder so that a
    /// second run sees what the first one did.
    private static func embeddedSandbox(
        reason: String,
        path: String,
        rateLimit: RefonteAPI.RateLimit?,
        statistics: CallStatistics,
        logger: Logger
    ) async throws -> APIConnection.Endpoint {
        // The server's own chatter (listening, shutting down) is noise in a script's output;
        // its failures reach the script as API errors anyway, and the client logs each call at
        // debug. REFONTE_LOG_LEVEL=trace shows the server's side too.
        var sandboxLogger = Logger(label: "refonte.sandbox")
        if sandboxLogger.logLevel > .trace { sandboxLogger.logLevel = .critical }
        let sandbox = try await EmbeddedSandbox.start(
            configuration: SandboxConfiguration(database: .file(path: path), seed: .demo),
            logger: sandboxLogger
        )
        FileHandle.standardError.write(
            Data(
                "refonte: \(reason): using the embedded sandbox at \(sandbox.baseURL) (data in \(path))\n"
                    .utf8
            )
        )
        // No proxy: the sandbox lives in this process, where no proxy could reach it.
        let configuration = ClientConfiguration(
            baseURL: URL(string: sandbox.baseURL)!,
            apiKey: try APIKey(sandbox.apiKey),
            rateLimit: rateLimit,
            userAgentSuffix: "run"
        )
        return APIConnection.Endpoint(
            client: APIClient(configuration: configuration, statistics: statistics, logger: logger),
            baseURL: sandbox.baseURL,
            onClose: { await sandbox.stop() }
        )
    }
}

struct ConnectionSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
