import Foundation
import Logging
import TestHelpers
import Testing

@testable import RefonteAPI

/// The client over HTTPS against a real TLS server on loopback whose certificate a throwaway
/// CA signed: trusted when that CA is, refused at once and in plain words otherwise.
@Suite struct ClientTLSTests {
    let certificates: TestCertificates
    let clock = RecordingClock()
    let logs = LogCapture()

    init() async throws {
        certificates = try await TestCertificates.shared()
    }

    func configuration(_ url: URL, trustingTheCA: Bool) throws -> ClientConfiguration {
        var configuration = try ClientHTTPTests.configuration(url)
        if trustingTheCA {
            configuration.trust = CertificateTrust(
                caFile: try CertificateTrust.loadCAFile(path: certificates.ca, origin: "REFONTE_CA_FILE")
            )
        }
        return configuration
    }

    /// Sends one GET to a TLS server presenting `certificate`.
    func call(
        presenting certificate: (certificate: String, key: String),
        trustingTheCA: Bool,
        server: ScriptedServer = ScriptedServer([.init(status: 200, body: "[]")])
    ) async throws -> Result<APIResponse, APIError> {
        var result: Result<APIResponse, APIError>?
        try await server.run(tls: certificate) { url in
            try await APIClient.withClient(
                configuration: configuration(url, trustingTheCA: trustingTheCA),
                clock: clock.clock,
                logger: logs.logger()
            ) { client in
                do throws(APIError) {
                    result = .success(try await client.send(.get("/teams")))
                } catch {
                    result = .failure(error)
                }
            }
        }
        return try #require(result)
    }

    @Test func callsSucceedWhenTheCAIsTrusted() async throws {
        let server = ScriptedServer([.init(status: 200, body: #"[{"email":"a@x.com"}]"#)])
        let response = try await call(presenting: certificates.server, trustingTheCA: true, server: server)
            .get()
        #expect(response.body == Array(#"[{"email":"a@x.com"}]"#.utf8))
        #expect(server.received.first?.headers["authorization"]?.hasPrefix("Basic ") == true)
    }

    @Test func anUntrustedCertificateFailsAtOnceInPlainWords() async throws {
        let server = ScriptedServer([.init(status: 200, body: "[]")])
        let result = try await call(presenting: certificates.server, trustingTheCA: false, server: server)
        guard case .failure(let error) = result else {
            Issue.record("the call should have been refused")
            return
        }
        #expect(error.code == "tls")
        #expect(error.status == nil)
        // Never retried: it could not succeed, and nothing was sent.
        #expect(error.attempts == 1)
        #expect(clock.sleeps.isEmpty)
        #expect(server.received.isEmpty)
        #expect(
            error.message.hasPrefix(
                "refused the TLS certificate of 127.0.0.1:"
            )
        )
        #expect(
            error.message.hasSuffix(
                ": no trusted certificate authority vouches for its certificate (it is self-signed, or signed by a "
                    + "private CA); if the server or a proxy on the way uses a private CA, trust its certificate "
                    + "authority with ca_file = \"/path/to/ca.pem\" in your profile, or REFONTE_CA_FILE=/path/to/ca.pem"
            )
        )
        #expect(!error.message.contains("BoringSSL") && !error.message.contains(".cc"))
        // The library's own words stay for REFONTE_LOG_LEVEL=debug, without build paths.
        let debug = logs.all.filter { $0.hasPrefix("debug transport error") }
        #expect(debug.count == 1)
        #expect(debug.first?.contains("CERTIFICATE_VERIFY_FAILED") == true)
        #expect(debug.first?.contains(" at /") == false)
    }

    @Test func aCertificateForAnotherHostNameIsRefused() async throws {
        let result = try await call(presenting: certificates.otherHost, trustingTheCA: true)
        guard case .failure(let error) = result else {
            Issue.record("a certificate for other.example must not do for 127.0.0.1")
            return
        }
        #expect(error.code == "tls")
        #expect(error.attempts == 1)
        #expect(error.message.contains(": its certificate is for other.example, not 127.0.0.1; "))
    }

    @Test func anExpiredCertificateIsNamedAsSuch() async throws {
        let result = try await call(presenting: certificates.expired, trustingTheCA: true)
        guard case .failure(let error) = result else {
            Issue.record("an expired certificate must be refused")
            return
        }
        #expect(error.code == "tls")
        #expect(error.attempts == 1)
        #expect(error.message.contains(": its certificate expired on 2020-01-02 00:00 UTC; "))
    }

    @Test func anHTTPSURLToAPlainHTTPServerSaysSo() async throws {
        let server = ScriptedServer([.init(status: 200, body: "[]")])
        try await server.run { url in
            let https = URL(string: url.absoluteString.replacingOccurrences(of: "http://", with: "https://"))!
            try await APIClient.withClient(
                configuration: configuration(https, trustingTheCA: true),
                clock: clock.clock,
                logger: logs.logger()
            ) { client in
                let error = try await failure(of: await client.send(.get("/teams")))
                #expect(error.code == "tls")
                #expect(error.attempts == 1)
                #expect(
                    error.message.hasSuffix(
                        "does not speak TLS: if it serves plain HTTP, use an http:// base URL"
                    )
                )
            }
        }
    }
}
