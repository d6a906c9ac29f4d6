import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import RefonteSandbox

/// A seeded sandbox behind Hummingbird's in-process test client.
struct HTTPFixture {
    static let key = "test_http_fixture"
    let server: SandboxServer

    init(_ configuration: SandboxConfiguration = SandboxConfiguration(seed: .demo)) async throws {
        var configuration = configuration
        configuration.extraAPIKeys.append(Self.key)
        server = try await SandboxServer.open(configuration: configuration, logger: Logger(label: "test"))
    }

    static func basic(_ key: String) -> String {
        "Basic " + Data("\(key):".utf8).base64EncodedString()
    }

    func run<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        defer { server.removeTemporaryFiles() }
        let app = Application(router: server.makeRouter(), logger: Logger(label: "test"))
        return try await app.test(.router) { client in try await body(client) }
    }
}

struct Reply: Sendable {
    var status: Int
    var headers: HTTPFields
    var body: [UInt8]

    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) }
    var text: String { String(decoding: body, as: UTF8.self) }
    var errorMessage: String? { (json as? [String: Any])?["error"] as? String }
}

extension TestClientProtocol {
    func call(
        _ method: HTTPRequest.Method,
        _ path: String,
        body: String? = nil,
        key: String? = HTTPFixture.key
    ) async throws -> Reply {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key { headers[.authorization] = HTTPFixture.basic(key) }
        return try await execute(
            uri: path,
            method: method,
            headers: headers,
            body: body.map { ByteBuffer(string: $0) }
        ) { response in
            Reply(
                status: Int(response.status.code),
                headers: response.headers,
                body: Array(buffer: response.body)
            )
        }
    }
}
