import Foundation
import Logging
import PostgresNIO
import RefonteScheduler
import Testing

/// The PostgreSQL server the several-hosts tests use: `REFONTE_TEST_POSTGRES_URL`, which
/// scripts/test sets to a throwaway cluster. When it is set, a test that cannot reach it fails;
/// when it is not (a test run by hand), the tests are skipped and say why.
enum PostgresTestServer {
    static let variable = "REFONTE_TEST_POSTGRES_URL"
    static var url: String? {
        ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }
    static let skipped: Comment = """
        REFONTE_TEST_POSTGRES_URL is not set: scripts/test starts a throwaway PostgreSQL and sets it \
        (or set it to postgres://USER@HOST:PORT/postgres?sslmode=disable of a server of yours)
        """

    /// A new, empty database on the server, for one test.
    static func database() async throws -> TestDatabase {
        guard let url, case .postgres(let server) = try StoreLocation.parse(url) else {
            throw Unusable(reason: "\(variable) is not a postgres:// URL")
        }
        guard server.sslMode == .disable else {
            throw Unusable(reason: "\(variable) must use sslmode=disable (the test server is on loopback)")
        }
        let name =
            "refonte_test_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        do {
            try await execute("CREATE DATABASE \(name)", on: server)
        } catch {
            throw Unusable(
                reason: "\(variable) is set but the server does not answer: \(String(reflecting: error))"
            )
        }
        var location = server
        location.database = name
        return TestDatabase(name: name, server: server, url: Self.url(location))
    }

    static func url(_ location: PostgresLocation) -> String {
        let password = location.password.map { ":\($0)" } ?? ""
        return
            "postgres://\(location.username)\(password)@\(location.host):\(location.port)/\(location.database)?sslmode=disable"
    }

    static func execute(_ sql: String, on server: PostgresLocation) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: .init(
                host: server.host,
                port: server.port,
                username: server.username,
                password: server.password,
                database: server.database,
                tls: .disable
            ),
            id: 1,
            logger: quietLogger
        )
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: quietLogger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    struct Unusable: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }
}

struct TestDatabase {
    var name: String
    var server: PostgresLocation
    var url: String

    func open() async throws -> any ScheduleStore {
        try await StoreLocation.parse(url).open(logger: quietLogger)
    }

    func drop() async {
        try? await PostgresTestServer.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", on: server)
    }
}
