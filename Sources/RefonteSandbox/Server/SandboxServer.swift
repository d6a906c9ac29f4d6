import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import RefonteAPI
import ServiceLifecycle
import UnixSignals

/// The sandbox as a service: run it in a `ServiceGroup` (the `refonte sandbox` command does,
/// with SIGINT/SIGTERM as graceful-shutdown signals) or through `EmbeddedSandbox`.
public struct SandboxServer: Service {
    public let configuration: SandboxConfiguration
    public let store: SandboxStore
    let logger: Logger
    let operations: [RoutedOperation]
    /// One handler per operation, matched when the server was made.
    let handlers: [String: OperationHandler]
    let openAPIDocument: @Sendable (_ serverURL: String) -> [UInt8]
    /// The directory of a temporary database, removed when the server stops.
    let temporaryDirectory: String?
    /// Set when the sandbox serves HTTPS (`configuration.tls`).
    let tls: TLSConfiguration?

    /// Opens (or creates) the database, seeds it, and checks that every operation of the catalog
    /// has exactly one handler and every handler serves a declared operation; fails rather than
    /// serve a declared operation with nothing behind it.
    public init(configuration: SandboxConfiguration, logger: Logger) throws {
        try self.init(
            configuration: configuration,
            operations: CatalogRoutes.operations,
            openAPIDocument: CatalogRoutes.openAPIDocument,
            logger: logger
        )
    }

    init(
        configuration: SandboxConfiguration,
        operations: [RoutedOperation],
        openAPIDocument: @escaping @Sendable (_ serverURL: String) -> [UInt8],
        logger: Logger
    ) throws {
        let handlers = try Self.checkCoverage(operations)
        try configuration.connections.validate()
        let tls = try configuration.tls?.serverConfiguration()
        let path: String
        switch configuration.database {
        case .temporary:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("refonte-sandbox-\(RandomID.make(length: 12))").path
            path = directory + "/sandbox.sqlite"
            temporaryDirectory = directory
        case .file(let file):
            path = file
            temporaryDirectory = nil
        }
        let store = try SandboxStore(path: path, logger: logger)
        if configuration.seed == .demo { try DemoSeed.apply(to: store) }
        for key in configuration.extraAPIKeys { try store.addExtraKey(key) }
        self.configuration = configuration
        self.store = store
        self.operations = operations
        self.handlers = handlers
        self.openAPIDocument = openAPIDocument
        self.logger = logger
        self.tls = tls
    }

    /// Every operation has exactly one handler and every handler an operation
    /// (`HandlerTable.make`), and no two operations claim the same method and path.
    static func checkCoverage(
        _ operations: [RoutedOperation],
        handlers entries: [(id: String, handler: OperationHandler)] = HandlerTable.declared
    ) throws -> [String: OperationHandler] {
        let handlers = try HandlerTable.make(for: operations.map(\.id), from: entries)
        var seen: [String: String] = [:]
        for operation in operations {
            for (method, path) in [(operation.method, operation.path)] + operation.aliases {
                let key = "\(method.rawValue) \(RouteTemplate(path).registered)"
                if let other = seen[key] {
                    throw SandboxStartupError(
                        "\(operation.id) and \(other) both claim \(method.rawValue) \(path)"
                    )
                }
                seen[key] = operation.id
            }
        }
        return handlers
    }

    public func run() async throws {
        try await run(onRunning: { _ in })
    }

    /// Runs until cancelled or shut down gracefully; `onRunning` receives the bound port.
    public func run(onRunning: @escaping @Sendable (_ port: Int) async -> Void) async throws {
        defer { removeTemporaryFiles() }
        let registry = ConnectionRegistry(limits: configuration.connections, logger: logger)
        let app = Application(
            router: makeRouter(),
            server: try tls.map { try .tls(.pinnedHTTP1(guardedBy: registry), tlsConfiguration: $0) }
                ?? .pinnedHTTP1(guardedBy: registry),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: nil,
                // At the limit the listener stops accepting (new connections wait in the
                // backlog) until a connection closes; the registry makes room where it can.
                availableConnectionsDelegate: MaximumAvailableConnections(
                    configuration.connections.maxConnections,
                    logger: logger
                )
            ),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            group.addTask {
                while true {
                    try await Task.sleep(for: registry.sweepInterval)
                    registry.sweep()
                }
            }
            // The server ends the run; the sweeper goes with it.
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    func removeTemporaryFiles() {
        if let temporaryDirectory { try? FileManager.default.removeItem(atPath: temporaryDirectory) }
    }

    /// One route per operation and alias below `/v1`, the OpenAPI document, and the
    /// `/sandbox/...` routes that simulate labelers.
    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ErrorMiddleware())
        let requestLog = RequestLog()
        let responder = APIResponder(
            store: store,
            authenticator: Authenticator(store: store),
            rateLimiter: configuration.rateLimit.map(RateLimiter.init(limit:)),
            faults: FaultInjector(faults: configuration.faults),
            cache: ResponseCache(),
            requestLog: requestLog,
            logger: logger
        )
        for operation in operations {
            guard let handler = handlers[operation.id] else { continue }  // checked in init
            for (method, path) in [(operation.method, operation.path)] + operation.aliases {
                let template = RouteTemplate(path)
                router.on(
                    RouterPath("/v1" + template.registered),
                    method: HTTPRequest.Method(rawValue: method.rawValue)!
                ) { request, context in
                    try await responder.respond(
                        to: request,
                        context: context,
                        operation: operation,
                        handler: handler,
                        pathNames: template.names
                    )
                }
            }
        }
        let document = openAPIDocument
        let host = configuration.host
        let scheme = configuration.scheme
        router.get("/v1/openapi.json") { request, _ in
            let authority = request.head.authority ?? host
            return Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: document("\(scheme)://\(authority)/v1")))
            )
        }
        AdminRoutes(store: store, authenticator: responder.authenticator).register(on: router)
        RequestLogRoutes(log: requestLog, authenticator: responder.authenticator).register(on: router)
        return router
    }
}

/// A path template with its `{name}` segments renamed by position, so that `/task/{type}` and
/// `/task/{task_id}` share one trie node and differ only by method.
struct RouteTemplate {
    var registered: String
    var names: [(position: String, name: String)]

    init(_ path: String) {
        var names: [(String, String)] = []
        var segments: [String] = []
        for (index, segment) in path.split(separator: "/").enumerated() {
            if segment.hasPrefix("{"), segment.hasSuffix("}") {
                let position = "p\(index)"
                names.append((position, String(segment.dropFirst().dropLast())))
                segments.append("{\(position)}")
            } else {
                segments.append(String(segment))
            }
        }
        registered = "/" + segments.joined(separator: "/")
        self.names = names
    }
}

/// ServiceLifecycle logs its services at debug level: the default description would dump the
/// configuration, `--api-key` values included.
extension SandboxServer: CustomStringConvertible {
    public var description: String { "SandboxServer(\(configuration.host):\(configuration.port))" }
}

public struct SandboxStartupError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension SandboxServer {
    /// Runs in a `ServiceGroup` that shuts the server down gracefully on SIGINT and SIGTERM
    /// (the `refonte sandbox` command).
    public func runUntilSignalled(onRunning: @escaping @Sendable (_ port: Int) async -> Void) async throws {
        try await serviceGroup(signals: [.sigterm, .sigint], onRunning: onRunning).run()
    }

    /// A group running only this server; `triggerGracefulShutdown()` stops it: the listener
    /// closes, idle connections are closed, requests in flight finish.
    func serviceGroup(
        signals: [UnixSignal],
        onRunning: @escaping @Sendable (_ port: Int) async -> Void
    ) -> ServiceGroup {
        ServiceGroup(
            configuration: .init(
                services: [.init(service: Announcing(server: self, onRunning: onRunning))],
                gracefulShutdownSignals: signals,
                logger: logger
            )
        )
    }

    private struct Announcing: Service, CustomStringConvertible {
        var description: String { server.description }
        let server: SandboxServer
        let onRunning: @Sendable (Int) async -> Void

        func run() async throws { try await server.run(onRunning: onRunning) }
    }
}
