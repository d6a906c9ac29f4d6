import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing

@testable import RefonteAPI

#if canImport(Glibc)
import Glibc
#endif

/// Which transport failures may be sent again (never-sent ones always, ambiguous ones only
/// when idempotent, the rest never), and what each says.
@Suite struct ClientTransportFailureTests {
    static let context = TransportFailure.Context(
        target: "api.example.com:443",
        host: "api.example.com",
        timeout: .seconds(60),
        maxResponseBytes: 1024,
        proxy: nil,
        trust: .system
    )

    static let cases: [(any Error & Sendable, String, String, String)] = [
        (
            IOError(errnoCode: ECONNREFUSED, reason: "connect"), "network", "notSent",
            "api.example.com:443 refused the connection (is the server running, and is the port right?)"
        ),
        (
            IOError(errnoCode: ECONNRESET, reason: "read"), "network", "unknown",
            "api.example.com:443 reset the connection"
        ),
        (
            IOError(errnoCode: EHOSTUNREACH, reason: "connect"), "network", "notSent",
            "api.example.com:443 is unreachable from this machine (check the network)"
        ),
        (
            HTTPClientError.connectTimeout, "timeout", "notSent",
            "could not connect to api.example.com:443 within 10s (check the network, a firewall, or the proxy settings)"
        ),
        (
            HTTPClientError.deadlineExceeded, "timeout", "unknown",
            "no answer from api.example.com:443 within 1m"
        ),
        (HTTPClientError.readTimeout, "timeout", "unknown", "no answer from api.example.com:443 within 1m"),
        (
            HTTPClientError.remoteConnectionClosed, "network", "unknown",
            "api.example.com:443 closed the connection before answering"
        ),
        (
            HTTPParserError.invalidEOFState, "network", "unknown",
            "the connection to api.example.com:443 broke before the answer was complete"
        ),
        (
            ChannelError.connectTimeout(.seconds(1)), "timeout", "notSent",
            "could not connect to api.example.com:443 within 10s (check the network, a firewall, or the proxy settings)"
        ),
        (HTTPClientError.cancelled, "cancelled", "final", "the call was cancelled"),
        (CancellationError(), "cancelled", "final", "the call was cancelled"),
        (HTTPClientError.alreadyShutdown, "network", "final", "the client was shut down before the call"),
        (
            NIOSSLError.handshakeFailed(.sslError([])), "tls", "final",
            "the TLS handshake with api.example.com:443 failed (no reason given)"
        ),
        (
            NIOSSLExtraError.failedToValidateHostname, "tls", "final",
            "refused the TLS certificate of api.example.com:443: its certificate is for another host name"
        ),
    ]

    @Test(arguments: 0..<cases.count)
    func sortsTransportErrors(index: Int) {
        let (error, code, delivery, message) = Self.cases[index]
        let failure = TransportFailure(classifying: error, context: Self.context)
        #expect(failure.code == code)
        #expect("\(failure.delivery)" == delivery)
        #expect(failure.message == message)
    }

    @Test func anUnknownErrorIsNamedByItsTypeOnly() {
        struct Strange: Error, CustomStringConvertible {
            var description: String { "strange thing at /build/somewhere/file.cc:12" }
        }
        let failure = TransportFailure(classifying: Strange(), context: Self.context)
        #expect(
            failure.message
                == "the call to api.example.com:443 failed (Strange); REFONTE_LOG_LEVEL=debug shows why"
        )
    }

    @Test func buildPathsAreCutFromDebugText() {
        let text =
            "handshakeFailed(NIOSSL.BoringSSLError.sslError([Error: 268435581 error:1000007d:SSL routines:"
            + "OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /home/ci/.build/checkouts/swift-nio-ssl/Sources/"
            + "CNIOBoringSSL/ssl/handshake.cc:320]))"
        #expect(
            withoutBuildPaths(text)
                == "handshakeFailed(NIOSSL.BoringSSLError.sslError([Error: 268435581 error:1000007d:SSL routines:"
                + "OPENSSL_internal:CERTIFICATE_VERIFY_FAILED]))"
        )
    }

    /// NIO's own description of an I/O error has one closing parenthesis too many; the debug
    /// log says it from its errno, balanced.
    @Test func anIOErrorIsDescribedWithBalancedParentheses() {
        let error = IOError(errnoCode: ECONNRESET, reason: "read(descriptor:pointer:size:)")
        let text = TransportFailure.debugDescription(of: error)
        #expect(text == "I/O error: Connection reset by peer (errno \(ECONNRESET))")
        #expect(text.filter { $0 == "(" }.count == text.filter { $0 == ")" }.count)
    }

    @Test func aHostThatDoesNotResolveIsSaidSo() async throws {
        var configuration = try ClientHTTPTests.configuration(URL(string: "https://nonexistent.invalid/v1")!)
        configuration.retry = RetryPolicy(maxAttempts: 1)
        try await APIClient.withClient(configuration: configuration, logger: LogCapture().logger()) {
            client in
            let error = try await failure(of: await client.send(.get("/teams")))
            #expect(error.code == "network")
            #expect(
                error.message
                    == "cannot find the address of nonexistent.invalid: the host name is unknown or DNS is unreachable (check the URL and the network)"
            )
        }
    }
}
