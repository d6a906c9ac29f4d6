import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Testing

@testable import RefonteAPI

#if canImport(Glibc)
import Glibc
#endif

/// Which transport failures may be sent again: never-sent ones always, ambiguous ones only
/// when idempotent, the rest never.
@Suite struct ClientTransportFailureTests {
    static let cases: [(any Error & Sendable, String, String)] = [
        (IOError(errnoCode: ECONNREFUSED, reason: "connect"), "network", "notSent"),
        (IOError(errnoCode: ECONNRESET, reason: "read"), "network", "unknown"),
        (HTTPClientError.connectTimeout, "timeout", "notSent"),
        (HTTPClientError.deadlineExceeded, "timeout", "unknown"),
        (HTTPClientError.readTimeout, "timeout", "unknown"),
        (HTTPClientError.remoteConnectionClosed, "network", "unknown"),
        (HTTPParserError.invalidEOFState, "network", "unknown"),
        (ChannelError.connectTimeout(.seconds(1)), "timeout", "notSent"),
        (HTTPClientError.cancelled, "cancelled", "final"),
        (CancellationError(), "cancelled", "final"),
        (HTTPClientError.alreadyShutdown, "network", "final"),
    ]

    @Test(arguments: 0..<cases.count)
    func sortsTransportErrors(index: Int) {
        let (error, code, delivery) = Self.cases[index]
        let failure = TransportFailure(
            classifying: error,
            timeout: .seconds(60),
            maxResponseBytes: 1024,
            target: "api.example.com:443"
        )
        #expect(failure.code == code)
        #expect("\(failure.delivery)" == delivery)
        #expect(!failure.message.isEmpty)
    }

    @Test func messagesNameTheHost() {
        let refused = TransportFailure(
            classifying: IOError(errnoCode: ECONNREFUSED, reason: "connect"),
            timeout: .seconds(60),
            maxResponseBytes: 1024,
            target: "api.example.com:443"
        )
        #expect(refused.message == "could not connect to api.example.com:443: Connection refused")
        let broken = TransportFailure(
            classifying: HTTPParserError.invalidEOFState,
            timeout: .seconds(60),
            maxResponseBytes: 1024,
            target: "api.example.com:443"
        )
        #expect(
            broken.message.hasPrefix(
                "the connection to api.example.com:443 broke before the answer was complete"
            )
        )
    }
}
