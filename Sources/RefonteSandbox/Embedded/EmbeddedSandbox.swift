import Logging
import ServiceLifecycle

/// A sandbox running inside this process on a loopback port, for scripts and tests that have no
/// API key: `start` returns once it accepts connections.
///
/// ```swift
/// let sandbox = try await EmbeddedSandbox.start(
///     configuration: .init(database: .file(path: SandboxConfiguration.defaultDatabasePath()), seed: .demo),
///     logger: logger
/// )
/// // sandbox.baseURL == "http://127.0.0.1:PORT/v1", sandbox.apiKey opens the seeded test account
/// await sandbox.stop()
/// ```
public final class EmbeddedSandbox: Sendable {
    /// `http://127.0.0.1:PORT/v1` (`https://` when the configuration gives TLS files)
    public let baseURL: String
    /// A key of the default account in test mode: the first of `extraAPIKeys`, or a stored key
    /// (made on first use and kept in the database, so a persistent sandbox keeps its key).
    public let apiKey: String
    public let port: Int
    public let store: SandboxStore
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(
        baseURL: String,
        apiKey: String,
        port: Int,
        store: SandboxStore,
        group: ServiceGroup,
        task: Task<Void, any Error>
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.port = port
        self.store = store
        self.group = group
        self.task = task
    }

    public static func start(
        configuration: SandboxConfiguration = SandboxConfiguration(),
        logger: Logger
    ) async throws -> EmbeddedSandbox {
        let server = try await SandboxServer.open(configuration: configuration, logger: logger)
        let apiKey: String
        if let key = configuration.extraAPIKeys.first {
            apiKey = key
        } else {
            apiKey = try server.store.anyKey(mode: .test)
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let group = server.serviceGroup(signals: []) { port in continuation.yield(port) }
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var bound: Int?
        for await port in ports {
            bound = port
            break
        }
        guard let port = bound else {
            // The server stopped before it listened: surface its error.
            try await task.value
            throw SandboxStartupError("the sandbox stopped before it accepted connections")
        }
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return EmbeddedSandbox(
            baseURL: "\(configuration.scheme)://\(host):\(port)/v1",
            apiKey: apiKey,
            port: port,
            store: server.store,
            group: group,
            task: task
        )
    }

    /// Stops the server gracefully and waits until it has closed its port and its connections
    /// (and removed a temporary database). Stopping twice is harmless.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
