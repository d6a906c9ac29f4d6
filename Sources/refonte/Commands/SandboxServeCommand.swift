import ArgumentParser
import Foundation
import Logging
import RefonteSandbox

/// `refonte sandbox [serve]`: runs the server until SIGINT or SIGTERM.
struct SandboxServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the sandbox API (the default).",
        discussion: """
            Prints the base URL and how to use it. Stop it with Ctrl-C; the data stays in --db.
            Keys: every key stored in the database (see `refonte sandbox keys create`), plus --api-key.

            With --tls-cert and --tls-key it serves HTTPS, as the real API does; clients must then \
            trust the CA that signed the certificate (REFONTE_CA_FILE, or ca_file in a profile).

            Examples:
              refonte sandbox --seed demo --port 8080 --api-key test_mykey
              refonte sandbox --port 8443 --tls-cert server.pem --tls-key server.key
            """
    )

    @Option(help: "TCP port; 0 picks a free one.")
    var port: Int = 8080

    @Option(help: "Interface to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "SQLite database file (default: $XDG_DATA_HOME/refonte/sandbox.sqlite).")
    var db: String?

    @Option(help: "Fill the account with realistic data: demo.")
    var seed: String?

    @Option(name: .customLong("api-key"), help: "Also accept this key (live_… or test_…). Repeatable.")
    var apiKeys: [String] = []

    @Option(name: .customLong("rate-limit"), help: "Per-key limit, e.g. 50/s or 50/s,burst=100.")
    var rateLimit: String?

    @Option(help: "Injected faults, e.g. 'error=0.1,throttle=0.05,latency=20ms,reset=0.01,late-error=0.05'.")
    var faults: String?

    @Option(
        name: .customLong("tls-cert"),
        help: ArgumentHelp("Serve HTTPS with this certificate (PEM, leaf first).", valueName: "pem")
    )
    var tlsCertificate: String?

    @Option(
        name: .customLong("tls-key"),
        help: ArgumentHelp("The certificate's private key (PEM, not encrypted).", valueName: "pem")
    )
    var tlsKey: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning or error.")
    var logLevel: String = "warning"

    func run() async throws {
        let configuration = try makeConfiguration()
        var logger = Logger(label: "refonte.sandbox")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
        let server: SandboxServer
        do {
            server = try SandboxServer(configuration: configuration, logger: logger)
        } catch {
            printError("refonte sandbox: cannot start: \(error)")
            throw ExitCode(1)
        }
        // Without any key, the first start makes one and shows it this once.
        var newKey: String?
        if apiKeys.isEmpty, try !server.store.hasKeys() {
            newKey = try server.store.createKey(mode: .test)
        }
        let announcer = Announcer(
            scheme: configuration.scheme,
            host: configuration.host,
            databasePath: server.store.path,
            apiKeys: apiKeys,
            newKey: newKey
        )
        try await server.runUntilSignalled { port in announcer.announce(port: port) }
        print("refonte sandbox: stopped")
    }

    private func makeConfiguration() throws -> SandboxConfiguration {
        var configuration = SandboxConfiguration(
            database: .file(path: db ?? SandboxConfiguration.defaultDatabasePath()),
            host: host,
            port: port
        )
        guard (0...65535).contains(port) else { usage("--port \(port): expected 0 to 65535") }
        switch (tlsCertificate, tlsKey) {
        case (let certificate?, let key?):
            configuration.tls = TLSFiles(certificatePath: certificate, keyPath: key)
        case (.some, nil):
            usage("--tls-cert needs --tls-key: give the certificate's private key too")
        case (nil, .some):
            usage("--tls-key needs --tls-cert: give the certificate too")
        case (nil, nil):
            break
        }
        if let seed {
            guard let value = SandboxConfiguration.Seed(rawValue: seed) else {
                usage(
                    "--seed \"\(seed)\": expected one of \(SandboxConfiguration.Seed.allCases.map(\.rawValue))"
                )
            }
            configuration.seed = value
        }
        for key in apiKeys where !(key.hasPrefix("live_") || key.hasPrefix("test_")) || key.count < 6 {
            usage("--api-key: a key must start with live_ or test_ and have characters after the prefix")
        }
        configuration.extraAPIKeys = apiKeys
        do {
            if let rateLimit { configuration.rateLimit = try RateLimit(parsing: rateLimit) }
            if let faults { configuration.faults = try Faults(parsing: faults) }
        } catch {
            usage("\(error)")
        }
        return configuration
    }

    /// A bad option: a message that names it, and exit status 2.
    private func usage(_ message: String) -> Never {
        printError("refonte sandbox: \(message)")
        Foundation.exit(2)
    }
}

/// Tells the user, once the server listens, how to reach it.
private struct Announcer: Sendable {
    let scheme: String
    let host: String
    let databasePath: String
    let apiKeys: [String]
    let newKey: String?

    func announce(port: Int) {
        let base = "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)/v1"
        var lines = ["refonte sandbox listening on \(base)", "  database: \(databasePath)"]
        let keyLine: String
        if let newKey {
            lines.append("  new API key (shown once): \(newKey)")
            keyLine = newKey
        } else if let first = apiKeys.first {
            keyLine = "<the \(first.prefix(5))… key given with --api-key>"
        } else {
            keyLine = "<a key from `refonte sandbox keys create`>"
        }
        lines += [
            "",
            "  export REFONTE_BASE_URL=\(base)",
            "  export REFONTE_API_KEY=\(keyLine)",
        ]
        if scheme == "https" {
            lines += [
                "  export REFONTE_CA_FILE=<the PEM file of the CA that signed the certificate>",
                "  curl --cacert \"$REFONTE_CA_FILE\" -u \"$REFONTE_API_KEY:\" \(base)/teams",
            ]
        } else {
            lines.append("  curl -u \"$REFONTE_API_KEY:\" \(base)/teams")
        }
        lines += [
            "",
            "Stop with Ctrl-C.",
        ]
        // Written unbuffered: whoever started the server (a test, a script) reads the URL from a pipe.
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
