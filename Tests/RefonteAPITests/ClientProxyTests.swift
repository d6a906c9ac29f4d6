import Foundation
import Logging
import TestHelpers
import Testing

@testable import RefonteAPI

/// Calls through a proxy on loopback, with the proxy chosen from environment variables the way
/// `refonte run` chooses it (`CredentialResolver`), for plain HTTP and for HTTPS.
@Suite struct ClientProxyTests {
    /// The client a command would build from `environment` for `url`.
    func makeClient(for url: URL, _ environment: [String: String]) throws -> APIClient {
        var environment = environment
        environment["REFONTE_API_KEY"] = testKey
        environment["REFONTE_BASE_URL"] = url.absoluteString
        environment["HOME"] = NSTemporaryDirectory()
        environment["XDG_CONFIG_HOME"] = NSTemporaryDirectory() + "refonte-no-config"
        let resolved = try CredentialResolver.resolve(environment: environment, logger: LogCapture().logger())
        var configuration = try #require(resolved.clientConfiguration())
        configuration.rateLimit = nil
        configuration.retry = RetryPolicy(maxAttempts: 1)
        return APIClient(configuration: configuration, logger: LogCapture().logger())
    }

    func withProxy(
        _ options: ConnectProxy.Options = .init(),
        _ body: (ConnectProxy) async throws -> Void
    ) async throws {
        let proxy = try await ConnectProxy.start(options)
        do {
            try await body(proxy)
            await proxy.stop()
        } catch {
            await proxy.stop()
            throw error
        }
    }

    @Test func httpProxyCarriesTheCalls() async throws {
        let server = ScriptedServer([.init(status: 200, body: "[]")])
        try await withProxy { proxy in
            try await server.run { url in
                let client = try makeClient(for: url, ["HTTP_PROXY": proxy.url])
                _ = try await client.send(.get("/teams"))
                _ = try await client.send(.post("/teams/invite", body: "{}"))
                await client.shutdown()
                #expect(proxy.tunnels == ["127.0.0.1:\(url.port!)"])
                #expect(proxy.requests == ["GET /v1/teams", "POST /v1/teams/invite"])
            }
        }
        #expect(server.received.count == 2)
    }

    @Test(arguments: ["127.0.0.1", "localhost,127.0.0.0/8", "*"])
    func noProxyThatCoversTheHostKeepsTheCallsOffTheProxy(noProxy: String) async throws {
        let server = ScriptedServer([.init(status: 200, body: "[]")])
        try await withProxy { proxy in
            try await server.run { url in
                let client = try makeClient(for: url, ["HTTP_PROXY": proxy.url, "NO_PROXY": noProxy])
                _ = try await client.send(.get("/teams"))
                await client.shutdown()
            }
            #expect(proxy.tunnels.isEmpty)
            #expect(proxy.requests.isEmpty)
        }
        #expect(server.received.count == 1)
    }

    @Test func httpsGoesThroughACONNECTTunnel() async throws {
        let certificates = try await TestCertificates.shared()
        let server = ScriptedServer([.init(status: 200, body: #"{"ok":true}"#)])
        try await withProxy { proxy in
            try await server.run(tls: certificates.server) { url in
                let client = try makeClient(
                    for: url,
                    ["HTTPS_PROXY": proxy.url, "REFONTE_CA_FILE": certificates.ca]
                )
                let response = try await client.send(.get("/teams"))
                await client.shutdown()
                #expect(response.body == Array(#"{"ok":true}"#.utf8))
                #expect(proxy.tunnels == ["127.0.0.1:\(url.port!)"])
                // TLS runs end to end inside the tunnel: the proxy sees no request.
                #expect(proxy.requests.isEmpty)
            }
        }
        #expect(server.received.count == 1)
    }

    /// A company proxy that inspects TLS presents certificates its own CA signed: calls work
    /// once that CA is trusted, and are refused, with nothing sent, while it is not.
    @Test func aTLSInspectingProxyWorksOnceItsCAIsTrusted() async throws {
        let certificates = try await TestCertificates.shared()
        let server = ScriptedServer([.init(status: 200, body: "[]")])
        let inspecting = ConnectProxy.Options(
            inspect: (certificates.inspector.certificate, certificates.inspector.key, certificates.ca)
        )
        try await withProxy(inspecting) { proxy in
            try await server.run(tls: certificates.server) { url in
                let untrusted = try makeClient(
                    for: url,
                    ["HTTPS_PROXY": proxy.url, "REFONTE_CA_FILE": certificates.ca]
                )
                let error = try await failure(of: await untrusted.send(.get("/teams")))
                await untrusted.shutdown()
                #expect(error.code == "tls")
                #expect(
                    error.message.contains("no trusted certificate authority vouches for its certificate")
                )
                #expect(proxy.requests.isEmpty)

                let trusted = try makeClient(
                    for: url,
                    ["HTTPS_PROXY": proxy.url, "REFONTE_CA_FILE": certificates.inspectorCA]
                )
                _ = try await trusted.send(.get("/teams"))
                await trusted.shutdown()
                // The proxy read the request it passed on.
                #expect(proxy.requests == ["GET /v1/teams"])
            }
        }
        #expect(server.received.count == 1)
    }

    @Test func theProxyGetsTheCredentialsOfItsURL() async throws {
        let server = ScriptedServer([.init(status: 200, body: "[]")])
        try await withProxy(.init(credentials: "me:p@ss")) { proxy in
            try await server.run { url in
                let client = try makeClient(
                    for: url,
                    ["HTTP_PROXY": "http://me:p%40ss@127.0.0.1:\(proxy.port)"]
                )
                _ = try await client.send(.get("/teams"))
                await client.shutdown()
                let refused = try makeClient(
                    for: url,
                    ["HTTP_PROXY": "http://me:wrong@127.0.0.1:\(proxy.port)"]
                )
                let error = try await failure(of: await refused.send(.get("/teams")))
                await refused.shutdown()
                #expect(error.code == "network")
                #expect(
                    error.message
                        == "http://me:***@127.0.0.1:\(proxy.port) (from HTTP_PROXY) asks for a user name and password (407); give them in the proxy URL: http://USER:PASSWORD@HOST:PORT"
                )
            }
        }
        #expect(server.received.count == 1)
    }

    @Test func aProxyThatRefusesTheTunnelIsNamed() async throws {
        let server = ScriptedServer([.init(status: 200, body: "[]")])
        try await withProxy(.init(refuse: true)) { proxy in
            try await server.run { url in
                let client = try makeClient(for: url, ["HTTP_PROXY": proxy.url])
                let error = try await failure(of: await client.send(.get("/teams")))
                await client.shutdown()
                #expect(error.code == "network")
                #expect(
                    error.message.hasPrefix(
                        "http://127.0.0.1:\(proxy.port) (from HTTP_PROXY) refused to open a tunnel to 127.0.0.1:\(url.port!)"
                    )
                )
            }
        }
        #expect(server.received.isEmpty)
    }

    @Test func anUnreachableProxyIsNamedAsTheProxy() async throws {
        // Port 1 on loopback: nothing listens there.
        let client = try makeClient(
            for: URL(string: "https://api.example.com/v1")!,
            ["HTTPS_PROXY": "http://127.0.0.1:1"]
        )
        let error = try await failure(of: await client.send(.get("/teams")))
        await client.shutdown()
        #expect(error.code == "network")
        #expect(
            error.message
                == "the proxy 127.0.0.1:1 (from HTTPS_PROXY) refused the connection (is the server running, and is the port right?)"
        )
    }
}
