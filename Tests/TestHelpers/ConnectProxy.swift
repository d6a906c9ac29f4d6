import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A small HTTP proxy on a loopback port that opens `CONNECT` tunnels, as corporate proxies
/// do, and records what passed: the tunnels' targets, and the request lines of the plain HTTP
/// requests sent through them. A TLS tunnel is opaque to it, unless it inspects TLS as some
/// company proxies do: then it answers the client's handshake itself, with a certificate its
/// own CA signed, and talks TLS to the server on the client's behalf.
public final class ConnectProxy: Sendable {
    public struct Options: Sendable {
        /// `user:password` the client must send as Basic `Proxy-Authorization`.
        public var credentials: String?
        /// Answer every `CONNECT` with 403, as a proxy whose policy forbids the target.
        public var refuse: Bool
        /// Inspect TLS: present this certificate (PEM files) to the client, and trust `upstreamCA`
        /// for the server.
        public var inspect: (certificate: String, key: String, upstreamCA: String)?

        public init(
            credentials: String? = nil,
            refuse: Bool = false,
            inspect: (certificate: String, key: String, upstreamCA: String)? = nil
        ) {
            self.credentials = credentials
            self.refuse = refuse
            self.inspect = inspect
        }
    }

    /// The TLS contexts of an inspecting proxy: one to face the client, one to reach the server.
    struct Inspection: Sendable {
        let facingClient: NIOSSLContext
        let facingServer: NIOSSLContext

        init(_ files: (certificate: String, key: String, upstreamCA: String)) throws {
            facingClient = try NIOSSLContext(
                configuration: .makeServerConfiguration(
                    certificateChain: try NIOSSLCertificate.fromPEMFile(files.certificate).map {
                        .certificate($0)
                    },
                    privateKey: .privateKey(try NIOSSLPrivateKey(file: files.key, format: .pem))
                )
            )
            var upstream = TLSConfiguration.makeClientConfiguration()
            upstream.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(files.upstreamCA))
            facingServer = try NIOSSLContext(configuration: upstream)
        }
    }

    public let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    let record: Record

    /// `http://127.0.0.1:PORT`, for `HTTP_PROXY` and `HTTPS_PROXY`.
    public var url: String { "http://127.0.0.1:\(port)" }
    /// `host:port` of every tunnel asked for, refused ones included.
    public var tunnels: [String] { record.state.withLock { $0.tunnels } }
    /// `GET /v1/teams`, … for every plain HTTP request that went through a tunnel.
    public var requests: [String] { record.state.withLock { $0.requests } }

    public static func start(_ options: Options = Options()) async throws -> ConnectProxy {
        let inspection = try options.inspect.map(Inspection.init)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let record = Record()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ProxyFrontHandler(options: options, inspection: inspection, record: record)
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return ConnectProxy(
            port: channel.localAddress?.port ?? 0,
            group: group,
            channel: channel,
            record: record
        )
    }

    private init(port: Int, group: MultiThreadedEventLoopGroup, channel: any Channel, record: Record) {
        self.port = port
        self.group = group
        self.channel = channel
        self.record = record
    }

    public func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }

    final class Record: Sendable {
        struct State {
            var tunnels: [String] = []
            var requests: [String] = []
        }

        let state = Mutex(State())
    }
}

/// The client's side of one proxy connection: the `CONNECT` head, then the tunnel.
private final class ProxyFrontHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase {
        case head(ByteBuffer)
        case connecting(pending: [ByteBuffer])
        case tunnel(any Channel)
        case closed
    }

    private let options: ConnectProxy.Options
    private let inspection: ConnectProxy.Inspection?
    private let record: ConnectProxy.Record
    private var phase = Phase.head(ByteBuffer())
    /// Whether the tunnel carries plain HTTP (its first bytes were not a TLS handshake).
    private var plain: Bool?

    init(options: ConnectProxy.Options, inspection: ConnectProxy.Inspection?, record: ConnectProxy.Record) {
        self.options = options
        self.inspection = inspection
        self.record = record
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        switch phase {
        case .head(var buffer):
            buffer.writeBuffer(&bytes)
            let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
            guard let end = text.range(of: "\r\n\r\n") else {
                phase = .head(buffer)
                return
            }
            let head = String(text[..<end.lowerBound])
            let rest = buffer.getSlice(
                at: buffer.readerIndex + text[..<end.upperBound].utf8.count,
                length: text[end.upperBound...].utf8.count
            )
            open(head, rest: rest, context: context)
        case .connecting(var pending):
            pending.append(bytes)
            phase = .connecting(pending: pending)
        case .tunnel(let target):
            look(at: bytes)
            target.writeAndFlush(bytes, promise: nil)
        case .closed:
            break
        }
    }

    private func open(_ head: String, rest: ByteBuffer?, context: ChannelHandlerContext) {
        let lines = head.components(separatedBy: "\r\n")
        let words = lines[0].split(separator: " ")
        guard words.count == 3, words[0] == "CONNECT" else {
            return answer("405 Method Not Allowed", context: context)
        }
        let target = String(words[1])
        record.state.withLock { $0.tunnels.append(target) }
        if let credentials = options.credentials {
            let expected =
                "proxy-authorization: basic " + Data(credentials.utf8).base64EncodedString().lowercased()
            guard lines.contains(where: { $0.lowercased() == expected }) else {
                return answer(
                    "407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"",
                    context: context
                )
            }
        }
        if options.refuse { return answer("403 Forbidden", context: context) }
        guard let colon = target.lastIndex(of: ":"), let port = Int(target[target.index(after: colon)...])
        else {
            return answer("400 Bad Request", context: context)
        }
        var host = String(target[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        phase = .connecting(pending: rest.map { [$0] } ?? [])
        let front = context.channel
        let inspection = inspection
        // An address is checked against the certificate's IP names, a name against its names.
        let name = IPv4Address(host) == nil && !host.contains(":") ? host : nil
        ClientBootstrap(group: context.eventLoop)
            .channelInitializer { back in
                back.eventLoop.makeCompletedFuture {
                    if let inspection {
                        try back.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: inspection.facingServer, serverHostname: name)
                        )
                    }
                    try back.pipeline.syncOperations.addHandler(ProxyBackHandler(front: front))
                }
            }
            .connect(host: host, port: port)
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let back):
                    context.writeAndFlush(
                        self.wrapOutboundOut(
                            ByteBuffer(string: "HTTP/1.1 200 Connection established\r\n\r\n")
                        ),
                        promise: nil
                    )
                    if let inspection = self.inspection {
                        // From here on the client's bytes reach this handler decrypted.
                        try? context.pipeline.syncOperations.addHandler(
                            NIOSSLServerHandler(context: inspection.facingClient),
                            position: .first
                        )
                    }
                    if case .connecting(let pending) = self.phase {
                        for bytes in pending {
                            self.look(at: bytes)
                            back.writeAndFlush(bytes, promise: nil)
                        }
                    }
                    self.phase = .tunnel(back)
                case .failure:
                    self.answer("502 Bad Gateway", context: context)
                }
            }
    }

    /// Records the request lines of plain HTTP passing through.
    private func look(at bytes: ByteBuffer) {
        guard bytes.readableBytes > 0 else { return }
        if plain == nil { plain = bytes.readableBytesView.first != 0x16 }  // 0x16: a TLS handshake
        guard plain == true else { return }
        let text = String(decoding: bytes.readableBytesView, as: UTF8.self)
        let found = text.components(separatedBy: "\r\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            guard words.count == 3, words[2] == "HTTP/1.1",
                ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(String(words[0]))
            else { return nil }
            return "\(words[0]) \(words[1])"
        }
        if !found.isEmpty { record.state.withLock { $0.requests += found } }
    }

    private func answer(_ status: String, context: ChannelHandlerContext) {
        phase = .closed
        context.writeAndFlush(
            wrapOutboundOut(
                ByteBuffer(string: "HTTP/1.1 \(status)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            ),
            promise: nil
        )
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .tunnel(let back) = phase { back.close(promise: nil) }
        phase = .closed
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// The target's side of a tunnel: everything it sends goes back to the client.
private final class ProxyBackHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let front: any Channel

    init(front: any Channel) {
        self.front = front
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        front.writeAndFlush(unwrapInboundIn(data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        front.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// Whether a host is written as an IPv4 address.
private struct IPv4Address {
    init?(_ text: String) {
        let parts = text.split(separator: ".")
        guard parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) else { return nil }
    }
}
