import ArgumentParser
import Foundation
import Logging
import Quantities
import RefonteAPI
import RefonteSandbox
import RefonteScripting

/// `refonte sandbox [serve]`: runs the server until SIGINT or SIGTERM.
struct SandboxServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the sandbox API (the default).",
        discussion: """
            Prints the base URL and how to use it. Stop it with Ctrl-C or SIGTERM; the data stays in --db.
            Keys: every key stored in the database (see `refonte sandbox keys create`), plus --api-key.

            With --tls-cert and --tls-key it serves HTTPS, as the real API does; clients must then \
            trust the CA that signed the certificate (REFONTE_CA_FILE, or ca_file in a profile).

            Examples:
              refonte sandbox --seed demo
              refonte sandbox --port 0 --api-key test_mykey --rate-limit 50/s,burst=100
              refonte sandbox --port 8443 --tls-cert server.pem --tls-key server.key
              refonte sandbox --faults 'error=0.1,late-error=0.05,latency=20ms'
              refonte sandbox --max-connections 2000 --idle-timeout 2m

            Clients that hold connections without finishing a request cannot use the server up. \
            A new connection must send a complete request head within --header-timeout, and so must \
            every request once its first byte has arrived. A connection silent for --idle-timeout \
            between requests, or in the middle of a body, is closed. At --max-connections, the \
            connection that has waited longest on its client is closed to make room; one whose \
            request is being answered is never cut. The server raises its own open-file limit \
            (ulimit -n) as far as --max-connections needs.

            A bad value for any option prints a message naming it and exits with status 2.
            """
    )

    @Option(help: "TCP port, from 0 to 65535; 0 picks a free one.")
    var port: Int = 8080

    @Option(help: "Interface to listen on.")
    var host: String = "127.0.0.1"

    @Option(
        help: "SQLite database file (default: $XDG_DATA_HOME/refonte/sandbox.sqlite). Made private (0600)."
    )
    var db: String?

    @Option(help: "Fill the account with realistic data: demo.")
    var seed: String?

    @Option(name: .customLong("api-key"), help: "Also accept this key (live_… or test_…). Repeatable.")
    var apiKeys: [String] = []

    @Option(
        name: .customLong("rate-limit"),
        help:
            "Per-key limit, e.g. 50/s, 3000/min or 50/s,burst=100 (0.001/s to 1000000/s; burst 1 to 1000000)."
    )
    var rateLimit: String?

    @Option(
        help: """
            Injected faults, e.g. 'error=0.1,throttle=0.05,latency=20ms,reset=0.01,late-error=0.05' \
            (probabilities from 0 to 1; latency 0 to 60000ms).
            """
    )
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

    @Option(
        name: .customLong("max-connections"),
        help: ArgumentHelp(
            "Connections open at once, 1 to 100000. At the limit the connection that has waited longest on its client is closed to make room.",
            valueName: "n"
        )
    )
    var maxConnections: Int = ConnectionLimits().maxConnections

    @Option(
        name: .customLong("idle-timeout"),
        help: ArgumentHelp(
            "Close a connection silent this long between requests or mid-body, 100ms to 1h (default: \(Self.seconds(ConnectionLimits().idleTimeout))).",
            valueName: "duration"
        )
    )
    var idleTimeout: String?

    @Option(
        name: .customLong("header-timeout"),
        help: ArgumentHelp(
            "Close a connection whose request line and headers take longer than this to arrive, 100ms to 1h (default: \(Self.seconds(ConnectionLimits().headerTimeout))).",
            valueName: "duration"
        )
    )
    var headerTimeout: String?

    @Option(
        name: .customLong("log-level"),
        help: "trace, debug, info, notice, warning (the default) or error."
    )
    var logLevel: String = "warning"

    func run() async throws {
        let configuration = try makeConfiguration()
        var logger = Logger(label: "refonte.sandbox")
        logger.logLevel = try parsedLogLevel()
        do {
            try OpenFileLimit.raise(toFit: configuration.connections.maxConnections)
        } catch {
            usage("--max-connections \(configuration.connections.maxConnections): \(error)")
        }
        let server: SandboxServer
        do {
            server = try await SandboxServer.open(configuration: configuration, logger: logger)
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

    private func parsedLogLevel() throws -> Logger.Level {
        let lowered = logLevel.lowercased()
        if lowered == "warn" { return .warning }
        guard let level = Logger.Level(rawValue: lowered) else {
            usage(
                "--log-level \"\(logLevel)\": expected one of "
                    + Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            )
        }
        return level
    }

    private func makeConfiguration() throws -> SandboxConfiguration {
        guard (0...65535).contains(port) else { usage("--port \(port): expected a port from 0 to 65535") }
        var configuration = SandboxConfiguration(
            database: .file(path: db ?? SandboxConfiguration.defaultDatabasePath()),
            host: host,
            port: port
        )
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
        for key in apiKeys where (try? APIKey(key)) == nil {
            usage("--api-key: a key must be printable ASCII without spaces or ':'")
        }
        configuration.extraAPIKeys = apiKeys
        configuration.connections.maxConnections = maxConnections
        if let idleTimeout {
            configuration.connections.idleTimeout = duration(idleTimeout, option: "--idle-timeout")
        }
        if let headerTimeout {
            configuration.connections.headerTimeout = duration(headerTimeout, option: "--header-timeout")
        }
        do {
            try configuration.connections.validate()
        } catch {
            usage("\(error)")
        }
        do {
            if let rateLimit { configuration.rateLimit = try RateLimit.parse(rateLimit) }
        } catch {
            usage("--rate-limit: \(error)")
        }
        do {
            if let faults { configuration.faults = try Faults(parsing: faults) }
        } catch {
            usage("\(error)")
        }
        return configuration
    }

    /// "75s": a default, as the options take it.
    static func seconds(_ duration: Duration) -> String {
        "\(duration.components.seconds)s"
    }

    private func duration(_ text: String, option: String) -> Duration {
        guard let value = DurationText.parse(text), ConnectionLimits.timeoutRange.contains(value) else {
            usage("\(option) \"\(text)\": expected a duration from 100ms to 1h: \(DurationText.forms)")
        }
        return value
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
