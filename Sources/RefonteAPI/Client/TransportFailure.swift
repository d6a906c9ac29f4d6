import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Quantities

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A request that got no complete answer, sorted by what the server may have done with it,
/// with a short message that names the host and port and says what to do. The original error
/// is only logged (at debug level), without the build paths that BoringSSL's errors carry.
struct TransportFailure: Error {
    enum Delivery {
        /// The request never left (no connection could be made): sending it again is safe.
        case notSent
        /// The request may have reached the server: only idempotent calls are sent again.
        case unknown
        /// Sending again cannot help (cancelled, misconfigured, refused certificate, oversized
        /// answer).
        case final
    }

    /// A certificate the client refused; `APIClient` looks at it to say why.
    enum CertificateProblem {
        case untrusted
        case hostName
    }

    var code: String
    var message: String
    var delivery: Delivery
    var certificate: CertificateProblem?

    init(code: String, message: String, delivery: Delivery, certificate: CertificateProblem? = nil) {
        self.code = code
        self.message = message
        self.delivery = delivery
        self.certificate = certificate
    }

    /// What a message needs to know about where the call went.
    struct Context {
        /// The API's host and port, as `host:port` (IPv6 in brackets).
        var target: String
        var host: String
        var timeout: Duration
        var maxResponseBytes: Int
        var proxy: HTTPProxy?
        var trust: CertificateTrust

        /// `host:port` of whatever `host` names: the proxy when it is the proxy's.
        func describe(host: String, port: Int) -> String {
            let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            if let proxy, proxy.host == host, proxy.port == port {
                return "the proxy \(address) (from \(proxy.variable))"
            }
            return address
        }
    }

    /// Sorts an error from async-http-client, SwiftNIO or NIOSSL.
    init(classifying error: any Error, context: Context) {
        let target = context.target
        switch error {
        case is CancellationError:
            self.init(code: APIError.Code.cancelled, message: "the call was cancelled", delivery: .final)
        case is NIOTooManyBytesError:
            self.init(
                code: APIError.Code.network,
                message: "the answer is larger than the \(context.maxResponseBytes)-byte limit",
                delivery: .final
            )
        case let error as HTTPClientError:
            self.init(classifying: error, context: context)
        case let error as NIOConnectionError:
            self.init(connecting: error, context: context)
        case let error as IOError:
            self.init(errno: error.errnoCode, at: target, connecting: false)
        case let error as NIOSSLError:
            self.init(tls: error, context: context)
        case let error as NIOSSLExtraError where error == .failedToValidateHostname:
            self.init(
                code: APIError.Code.tls,
                message: "refused the TLS certificate of \(target): its certificate is for another host name",
                delivery: .final,
                certificate: .hostName
            )
        case is HTTPParserError:
            self.init(
                code: APIError.Code.network,
                message: "the connection to \(target) broke before the answer was complete",
                delivery: .unknown
            )
        case ChannelError.connectTimeout:
            self.init(connectTimeoutTo: target, context: context)
        default:
            self.init(
                code: APIError.Code.network,
                message:
                    "the call to \(target) failed (\(type(of: error))); REFONTE_LOG_LEVEL=debug shows why",
                delivery: .unknown
            )
        }
    }

    private init(classifying error: HTTPClientError, context: Context) {
        let target = context.target
        switch error {
        case .deadlineExceeded, .readTimeout, .writeTimeout:
            self.init(
                code: APIError.Code.timeout,
                message: "no answer from \(target) within \(DurationText.format(context.timeout))",
                delivery: .unknown
            )
        case .connectTimeout, .getConnectionFromPoolTimeout:
            self.init(
                connectTimeoutTo: context.proxy.map { context.describe(host: $0.host, port: $0.port) }
                    ?? target,
                context: context
            )
        case .tlsHandshakeTimeout:
            self.init(
                code: APIError.Code.timeout,
                message: "\(target) accepted the connection but did not complete the TLS handshake in time",
                delivery: .notSent
            )
        case .remoteConnectionClosed:
            self.init(
                code: APIError.Code.network,
                message: "\(target) closed the connection before answering",
                delivery: .unknown
            )
        case .alreadyShutdown:
            self.init(
                code: APIError.Code.network,
                message: "the client was shut down before the call",
                delivery: .final
            )
        case .cancelled:
            self.init(code: APIError.Code.cancelled, message: "the call was cancelled", delivery: .final)
        case .invalidURL, .emptyHost, .emptyScheme:
            self.init(code: APIError.Code.network, message: "invalid base URL (\(error))", delivery: .final)
        case .proxyAuthenticationRequired:
            let proxy = context.proxy.map { "\($0) (from \($0.variable))" } ?? "the proxy"
            self.init(
                code: APIError.Code.network,
                message: "\(proxy) asks for a user name and password (407); "
                    + "give them in the proxy URL: http://USER:PASSWORD@HOST:PORT",
                delivery: .final
            )
        case .invalidProxyResponse:
            let proxy = context.proxy.map { "\($0) (from \($0.variable))" } ?? "the proxy"
            self.init(
                code: APIError.Code.network,
                message: "\(proxy) refused to open a tunnel to \(target); check that it lets this "
                    + "machine reach that host and port, or list the host in NO_PROXY",
                delivery: .final
            )
        case .httpProxyHandshakeTimeout, .socksHandshakeTimeout:
            let proxy = context.proxy.map { "\($0) (from \($0.variable))" } ?? "the proxy"
            self.init(
                code: APIError.Code.timeout,
                message: "\(proxy) did not open a tunnel to \(target) in time",
                delivery: .notSent
            )
        default:
            self.init(
                code: APIError.Code.network,
                message:
                    "the call to \(target) failed (\(error.shortDescription.lowercased())); REFONTE_LOG_LEVEL=debug shows why",
                delivery: .unknown
            )
        }
    }

    /// No connection: DNS found no address, or every address refused or failed.
    private init(connecting error: NIOConnectionError, context: Context) {
        let peer = context.describe(host: error.host, port: error.port)
        guard let first = error.connectionErrors.first else {
            // No address to try: the name did not resolve.
            let name = peer.hasPrefix("the proxy") ? peer : error.host
            self.init(
                code: APIError.Code.network,
                message: "cannot find the address of \(name): the host name is unknown or DNS is "
                    + "unreachable (check the URL and the network)",
                delivery: .notSent
            )
            return
        }
        if let io = first.error as? IOError {
            self.init(errno: io.errnoCode, at: peer, connecting: true)
        } else if case ChannelError.connectTimeout = first.error {
            self.init(connectTimeoutTo: peer, context: context)
        } else {
            self.init(
                code: APIError.Code.network,
                message: "could not connect to \(peer) (\(type(of: first.error)))",
                delivery: .notSent
            )
        }
    }

    /// A system call's failure on the way to (or on) a connection.
    private init(errno code: CInt, at peer: String, connecting: Bool) {
        switch code {
        case ECONNREFUSED:
            self.init(
                code: APIError.Code.network,
                message: "\(peer) refused the connection (is the server running, and is the port right?)",
                delivery: .notSent
            )
        case ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL:
            self.init(
                code: APIError.Code.network,
                message: "\(peer) is unreachable from this machine (check the network)",
                delivery: .notSent
            )
        case ETIMEDOUT:
            self.init(
                code: APIError.Code.timeout,
                message: connecting
                    ? "could not connect to \(peer) in time" : "the connection to \(peer) timed out",
                delivery: connecting ? .notSent : .unknown
            )
        case ECONNRESET, EPIPE:
            self.init(
                code: APIError.Code.network,
                message: "\(peer) reset the connection",
                delivery: connecting ? .notSent : .unknown
            )
        default:
            self.init(
                code: APIError.Code.network,
                message: "the connection to \(peer) failed: \(String(cString: strerror(code)))",
                delivery: connecting ? .notSent : .unknown
            )
        }
    }

    private init(connectTimeoutTo peer: String, context: Context) {
        self.init(
            code: APIError.Code.timeout,
            message:
                "could not connect to \(peer) within \(DurationText.format(min(context.timeout, .seconds(10)))) "
                + "(check the network, a firewall, or the proxy settings)",
            delivery: .notSent
        )
    }

    private init(tls error: NIOSSLError, context: Context) {
        let target = context.target
        let text = "\(error)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            self.init(
                code: APIError.Code.tls,
                message: "refused the TLS certificate of \(target)",
                delivery: .final,
                certificate: .untrusted
            )
        } else if text.contains("WRONG_VERSION_NUMBER") || text.contains("UNEXPECTED_RECORD")
            || text.contains("HTTP_REQUEST")
        {
            self.init(
                code: APIError.Code.tls,
                message: "\(target) does not speak TLS: if it serves plain HTTP, use an http:// base URL",
                delivery: .final
            )
        } else if case .handshakeFailed = error {
            self.init(
                code: APIError.Code.tls,
                message:
                    "the TLS handshake with \(target) failed (\(Self.reason(in: text) ?? "no reason given"))",
                delivery: .final
            )
        } else if case .uncleanShutdown = error {
            self.init(
                code: APIError.Code.network,
                message: "\(target) closed the TLS connection without finishing the answer",
                delivery: .unknown
            )
        } else {
            self.init(
                code: APIError.Code.tls,
                message: "TLS with \(target) failed (\(Self.reason(in: text) ?? "\(error)"))",
                delivery: .final
            )
        }
    }

    /// `SSLV3_ALERT_HANDSHAKE_FAILURE` from a BoringSSL error text, as `sslv3 alert handshake
    /// failure`.
    private static func reason(in text: String) -> String? {
        guard let range = text.range(of: "OPENSSL_internal:") else { return nil }
        let name = text[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return name.isEmpty ? nil : name.lowercased().replacingOccurrences(of: "_", with: " ")
    }

    /// A certificate failure, with the reason found by looking at the certificate and what the
    /// user can do.
    func explained(by finding: CertificateInspection.Finding?, context: Context) -> TransportFailure {
        guard let problem = certificate else { return self }
        let reason = CertificateInspection.reason(
            finding,
            host: context.host,
            hostNameRefused: problem == .hostName
        )
        var failure = self
        failure.message = "refused the TLS certificate of \(context.target): \(reason); "
        switch problem {
        case .hostName:
            failure.message +=
                "use a base URL with a host name the certificate names, or a certificate for \(context.host)"
        case .untrusted:
            failure.message += context.trust.advice
        }
        return failure
    }
}

/// Error text without the build paths that BoringSSL's errors carry (`at /build/…/x.cc:320`),
/// for debug logs.
extension TransportFailure {
    /// A library's error as the debug log shows it. NIO's `IOError` reads
    /// `read(descriptor:pointer:size:): Connection reset by peer) (errno: 104)`, one parenthesis
    /// too many; it is said here from its errno instead.
    static func debugDescription(of error: any Error) -> String {
        if let io = error as? IOError {
            return "I/O error: \(String(cString: strerror(io.errnoCode))) (errno \(io.errnoCode))"
        }
        return withoutBuildPaths(String(describing: error))
    }
}

func withoutBuildPaths(_ text: String) -> String {
    var result = ""
    var rest = Substring(text)
    while let range = rest.range(of: " at /") {
        result += rest[..<range.lowerBound]
        let tail = rest[range.upperBound...]
        // The path runs to the next character that cannot be in it: space, bracket, comma.
        let end = tail.firstIndex { $0 == " " || $0 == "]" || $0 == ")" || $0 == "," } ?? tail.endIndex
        rest = tail[end...]
    }
    return result + rest
}
