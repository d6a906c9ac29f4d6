import Foundation
import Logging
import NIOCore
import NIOPosix
import Testing

@testable import RefonteAPI

/// The choice of HTTP layer, and what each layer must do the same way over real sockets.
@Suite struct ClientTransportTests {
    @Test(arguments: [
        ("http://127.0.0.1:8080/v1", ClientTransport.automatic, "loopback"),
        ("http://localhost:8080/v1", .automatic, "loopback"),
        ("http://[::1]:8080/v1", .automatic, "loopback"),
        ("https://127.0.0.1:8443/v1", .automatic, "async-http-client"),
        ("http://api.example.com/v1", .automatic, "async-http-client"),
        ("https://api.refonte.com/v1", .automatic, "async-http-client"),
        ("http://127.0.0.1:8080/v1", .asyncHTTPClient, "async-http-client"),
    ])
    func plainHTTPToThisMachineTakesTheLoopbackTransport(
        url: String,
        transport: ClientTransport,
        expected: String
    ) async throws {
        let configuration = try ClientHTTPTests.configuration(URL(string: url)!, transport: transport)
        try await APIClient.withClient(configuration: configuration, logger: LogCapture().logger()) {
            client in
            #expect(client.transportName == expected)
        }
    }

    @Test func theEnvironmentPicksATransportAndRefusesUnknownNames() throws {
        #expect(try ClientTransport.fromEnvironment([:]) == .automatic)
        #expect(try ClientTransport.fromEnvironment(["REFONTE_HTTP_TRANSPORT": ""]) == .automatic)
        #expect(
            try ClientTransport.fromEnvironment(["REFONTE_HTTP_TRANSPORT": "async-http-client"])
                == .asyncHTTPClient
        )
        #expect {
            try ClientTransport.fromEnvironment(["REFONTE_HTTP_TRANSPORT": "curl"])
        } throws: { error in
            "\(error)"
                == #"REFONTE_HTTP_TRANSPORT: expected one of "automatic", "async-http-client", got "curl""#
        }
    }

    @Test(arguments: ClientTransport.allCases)
    func refusesAnAnswerOverTheLimitThenCarriesOn(transport: ClientTransport) async throws {
        let big = "[" + String(repeating: "1,", count: 100) + "1]"
        let server = ScriptedServer([.init(status: 200, body: big), .init(status: 200, body: "[]")])
        try await server.run { url in
            var configuration = try ClientHTTPTests.configuration(url, transport: transport)
            configuration.maxResponseBytes = 64
            try await APIClient.withClient(configuration: configuration, logger: LogCapture().logger()) {
                client in
                let error = try await failure(of: await client.send(.get("/teams")))
                #expect(error.code == "network")
                #expect(error.message == "the answer is larger than the 64-byte limit")
                // Too large is final: sending again would get the same answer.
                #expect(error.attempts == 1)
                let next = try await client.send(.get("/teams"))
                #expect(next.body == Array("[]".utf8))
            }
        }
        #expect(server.received.count == 2)
    }

    @Test(arguments: ClientTransport.allCases)
    func aConnectionCloseAnswerIsNotReused(transport: ClientTransport) async throws {
        let server = ScriptedServer([.init(status: 200, body: "[]", close: true)])
        try await server.withClient(transport: transport) { client in
            for _ in 0..<3 {
                let response = try await client.send(.get("/teams"))
                #expect(response.body == Array("[]".utf8))
            }
        }
        let ports = server.received.compactMap(\.remotePort)
        #expect(ports.count == 3)
        #expect(Set(ports).count == 3)
    }

    @Test(arguments: ClientTransport.allCases)
    func aConnectionTheServerClosedWhileIdleIsReplaced(transport: ClientTransport) async throws {
        let server = ScriptedServer([.init(status: 200, body: "[]")])
        try await server.withClient(transport: transport, idleTimeout: .milliseconds(100)) { client in
            _ = try await client.send(.post("/teams/invite", body: "{}"))
            try await Task.sleep(for: .milliseconds(400))
            // A write is not retried after an ambiguous failure, so this passes only if the
            // client saw the close and opened a new connection instead of reusing the old one.
            let again = try await client.send(.post("/teams/invite", body: "{}"))
            #expect(again.attempts == 1)
        }
        let ports = server.received.compactMap(\.remotePort)
        #expect(ports.count == 2)
        #expect(Set(ports).count == 2)
    }

    /// A script that computes without yielding keeps the event loop from reading the server's
    /// close of an idle connection; the next call must not trust that connection blindly.
    @Test func aCallAfterALongComputationDoesNotUseAConnectionTheServerClosed() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let server = ScriptedServer([.init(status: 200, body: "[]")])
        try await server.run(idleTimeout: .milliseconds(100)) { url in
            var configuration = try ClientHTTPTests.configuration(url)
            configuration.eventLoop = loop
            try await APIClient.withClient(configuration: configuration, logger: LogCapture().logger()) {
                client in
                #expect(client.transportName == "loopback")
                _ = try await client.send(.post("/teams/invite", body: "{}"))
                let again = await withTaskExecutorPreference(EventLoopExecutor(eventLoop: loop)) {
                    // Busy on the loop itself, as a Lua computation is, while the server
                    // closes the idle connection; then a write, in the same turn of the loop.
                    usleep(1_200_000)
                    do throws(APIError) {
                        return Result<APIResponse, APIError>.success(
                            try await client.send(.post("/teams/invite", body: "{}"))
                        )
                    } catch {
                        return .failure(error)
                    }
                }
                #expect(try again.get().attempts == 1)
            }
        }
        try await group.shutdownGracefully()
        #expect(Set(server.received.compactMap(\.remotePort)).count == 2)
    }

    @Test(arguments: ClientTransport.allCases)
    func aShutDownClientRefusesCalls(transport: ClientTransport) async throws {
        let server = ScriptedServer([.init(status: 200, body: "[]")])
        try await server.run { url in
            let configuration = try ClientHTTPTests.configuration(url, transport: transport)
            let client = APIClient(configuration: configuration, logger: LogCapture().logger())
            _ = try await client.send(.get("/teams"))
            await client.shutdown()
            let error = try await failure(of: await client.send(.get("/teams")))
            #expect(error.code == "network")
            #expect(error.message == "the client was shut down before the call")
        }
    }
}
