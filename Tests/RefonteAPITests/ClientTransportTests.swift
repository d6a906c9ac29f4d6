import Foundation
import Logging
import NIOCore
import RefonteScripting
import Testing

@testable import RefonteAPI

/// What the HTTP layer must do over real sockets: limits, connection reuse and replacement.
@Suite struct ClientTransportTests {
    @Test func refusesAnAnswerOverTheLimitThenCarriesOn() async throws {
        let big = "[" + String(repeating: "1,", count: 100) + "1]"
        let server = ScriptedServer([.init(status: 200, body: big), .init(status: 200, body: "[]")])
        try await server.run { url in
            var configuration = try ClientHTTPTests.configuration(url)
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

    @Test func aConnectionCloseAnswerIsNotReused() async throws {
        let server = ScriptedServer([.init(status: 200, body: "[]", close: true)])
        try await server.withClient { client in
            for _ in 0..<3 {
                let response = try await client.send(.get("/teams"))
                #expect(response.body == Array("[]".utf8))
            }
        }
        let ports = server.received.compactMap(\.remotePort)
        #expect(ports.count == 3)
        #expect(Set(ports).count == 3)
    }

    @Test func aConnectionTheServerClosedWhileIdleIsReplaced() async throws {
        let server = ScriptedServer([.init(status: 200, body: "[]")])
        // Generous times: a busy machine may be slow to run the server's idle timer.
        // The idle timeout must outlast a slow answer (a server on a busy machine closed the
        // connection mid-request at 500 ms), and the wait must outlast the idle timeout.
        try await server.withClient(idleTimeout: .seconds(2)) { client in
            _ = try await client.send(.post("/teams/invite", body: "{}"))
            // Five times the idle timeout: the full suite on 2 busy cores once needed more than 3.
            try await Task.sleep(for: .seconds(10))
            // A write is not retried after an ambiguous failure, so this passes only if the
            // client saw the close and opened a new connection instead of reusing the old one.
            let again = try await client.send(.post("/teams/invite", body: "{}"))
            #expect(again.attempts == 1)
        }
        let ports = server.received.compactMap(\.remotePort)
        #expect(ports.count == 2)
        #expect(Set(ports).count == 2)
    }

    /// A script that computes without yielding blocks its own thread; the client's connections
    /// live on the client's loop, which meanwhile reads the server's close of an idle
    /// connection, so the next call does not write into a closed one.
    @Test func aCallAfterALongComputationDoesNotUseAConnectionTheServerClosed() async throws {
        let server = ScriptedServer([.init(status: 200, body: "[]")])
        // Times as in the test above: an idle timeout no slow answer reaches, and a wait well past it.
        try await server.run(idleTimeout: .seconds(2)) { url in
            let configuration = try ClientHTTPTests.configuration(url)
            try await APIClient.withClient(configuration: configuration, logger: LogCapture().logger()) {
                client in
                _ = try await client.send(.post("/teams/invite", body: "{}"))
                let again = await ScriptThread.run {
                    // Busy on the script's thread, as a Lua computation is, while the server
                    // closes the idle connection; then a write, in the same job on that thread.
                    usleep(10_000_000)
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
        #expect(Set(server.received.compactMap(\.remotePort)).count == 2)
    }

    @Test func aShutDownClientRefusesCalls() async throws {
        let server = ScriptedServer([.init(status: 200, body: "[]")])
        try await server.run { url in
            let configuration = try ClientHTTPTests.configuration(url)
            let client = APIClient(configuration: configuration, logger: LogCapture().logger())
            _ = try await client.send(.get("/teams"))
            await client.shutdown()
            let error = try await failure(of: await client.send(.get("/teams")))
            #expect(error.code == "network")
            #expect(error.message == "the client was shut down before the call")
        }
    }
}
