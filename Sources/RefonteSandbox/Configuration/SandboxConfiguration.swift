import RefonteAPI

/// How to run a sandbox: where its data lives, what it starts with, and how hostile it is.
public struct SandboxConfiguration: Sendable {
    public enum Database: Sendable, Hashable {
        /// A database in a fresh temporary directory, removed when the sandbox stops.
        case temporary
        /// A database file that outlives the sandbox (WAL mode; created when missing).
        case file(path: String)
    }

    public enum Seed: String, Sendable, Hashable, CaseIterable {
        /// A realistic Studio account: teammates in every role, projects, groups, pending
        /// batches, 2,000 tasks in every status and training attempts (live and test modes).
        case demo
    }

    public var database: Database
    public var seed: Seed?
    /// Keys accepted besides those that the store holds (`--api-key`). Each must start with
    /// `live_` or `test_`, which picks the mode of the default account that it opens.
    public var extraAPIKeys: [String]
    public var rateLimit: RateLimit?
    public var faults: Faults
    public var host: String
    /// 0 picks a free port.
    public var port: Int
    /// Timeouts and the connection limit.
    public var connections: ConnectionLimits
    /// Serve HTTPS with this certificate and key instead of plain HTTP.
    public var tls: TLSFiles?

    public init(
        database: Database = .temporary,
        seed: Seed? = nil,
        extraAPIKeys: [String] = [],
        rateLimit: RateLimit? = nil,
        faults: Faults = .none,
        host: String = "127.0.0.1",
        port: Int = 0,
        connections: ConnectionLimits = ConnectionLimits(),
        tls: TLSFiles? = nil
    ) {
        self.database = database
        self.seed = seed
        self.extraAPIKeys = extraAPIKeys
        self.rateLimit = rateLimit
        self.faults = faults
        self.host = host
        self.port = port
        self.connections = connections
        self.tls = tls
    }

    /// `http` or `https`.
    public var scheme: String { tls == nil ? "http" : "https" }
}

/// A server certificate (its chain, leaf first) and its private key, as PEM files.
public struct TLSFiles: Sendable, Hashable {
    public var certificatePath: String
    public var keyPath: String

    public init(certificatePath: String, keyPath: String) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }
}
