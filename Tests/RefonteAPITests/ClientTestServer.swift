import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import RefonteAPI
import Synchronization

/// A real HTTP server on a loopback port chosen by the kernel, answering from a script and
/// recording what it received, so the client is tested over real sockets.
final class ScriptedServer: Sendable {
    struct Reply: Sendable {
        var status: Int
        var retryAfter: String? = nil
        var body: String = "{}"
        /// The reply waits until `release()` is called (to provoke a client timeout).
        var hold: Bool = false
        /// The reply says `Connection: close`, so the client must not reuse the connection.
        var close: Bool = false
    }

    struct Received: Sendable {
        var method: String
        /// Path and query as sent.
        var uri: String
        /// Lower-cased header names.
        var headers: [String: String]
        var body: [UInt8]
        var remotePort: Int?
    }

    private struct State {
        var replies: [Reply]
        var received: [Received] = []
        var holds: [CheckedContinuation<Void, Never>] = []
        var released = false
    }

    private let state: Mutex<State>

    /// Replies are served in order; the last one repeats.
    init(_ replies: [Reply]) {
        state = Mutex(State(replies: replies))
    }

    var received: [Received] { state.withLock { $0.received } }

    /// Lets every held reply go out.
    func release() {
        let holds = state.withLock { state in
            state.released = true
            defer { state.holds = [] }
            return state.holds
        }
        for hold in holds { hold.resume() }
    }

    fileprivate func respond(to request: Request, remotePort: Int?) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        let received = Received(
            method: request.method.rawValue,
            uri: request.uri.description,
            headers: headers,
            body: Array(body.readableBytesView),
            remotePort: remotePort
        )
        let reply = state.withLock { state in
            state.received.append(received)
            return state.replies.count > 1 ? state.replies.removeFirst() : state.replies[0]
        }
        if reply.hold {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if state.released { return true }
                    state.holds.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        if let retryAfter = reply.retryAfter { fields[.retryAfter] = retryAfter }
        if reply.close { fields[.connection] = "close" }
        return Response(
            status: HTTPResponse.Status(code: reply.status),
            headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(string: reply.body))
        )
    }

    /// Runs `body` with the server listening; `baseURL` ends in `/v1` like the real API.
    /// `idleTimeout` closes connections that stay idle that long, as a restarted or strict
    /// server would. With `tls` (PEM certificate and key files) it serves HTTPS.
    func run(
        idleTimeout: TimeAmount? = nil,
        tls: (certificate: String, key: String)? = nil,
        _ body: (URL) async throws -> Void
    ) async throws {
        let (started, startedContinuation) = AsyncStream<Int>.makeStream()
        var server = HTTPServerBuilder.http1(configuration: .init(idleTimeout: idleTimeout))
        if let tls {
            let configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.key, format: .pem))
            )
            server = try .tls(server, tlsConfiguration: configuration)
        }
        let app = Application(
            responder: CallbackResponder { (request: Request, context: PortContext) in
                try await self.respond(to: request, remotePort: context.remotePort)
            },
            server: server,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? 0
                startedContinuation.yield(bound)
                startedContinuation.finish()
            },
            logger: Logger(label: "test-server", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = started.makeAsyncIterator()
            guard let bound = await iterator.next() else { throw CancellationError() }
            defer {
                release()
                group.cancelAll()
            }
            try await body(URL(string: "\(tls == nil ? "http" : "https")://127.0.0.1:\(bound)/v1")!)
        }
    }
}

/// A request context that remembers which client port the request came from, to show that
/// the client reuses its connection.
struct PortContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var remotePort: Int?

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        remotePort = source.channel.remoteAddress?.port
    }
}

extension ScriptedServer {
    /// Runs `body` with a client of this server, shut down afterwards: what most client tests
    /// need.
    func withClient(
        idleTimeout: TimeAmount? = nil,
        _ body: (APIClient) async throws -> Void
    ) async throws {
        try await run(idleTimeout: idleTimeout) { url in
            try await APIClient.withClient(
                configuration: ClientHTTPTests.configuration(url),
                logger: LogCapture().logger(),
                body
            )
        }
    }
}
