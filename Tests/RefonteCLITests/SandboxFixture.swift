import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import RefonteAPI
import RefonteSandbox

/// A seeded sandbox in the test process, for `refonte` runs to talk to over real HTTP, and a
/// home of their own (config, data, audit log) so that nothing of the user's leaks in.
final class SandboxFixture: Sendable {
    static let key = "test_cli_fixture_key"

    let home: URL
    let database: String
    let sandbox: EmbeddedSandbox

    /// A fresh demo database, or `database` (shared by several sandboxes in turn).
    static func start(
        faults: Faults = .none,
        rateLimit: RefonteAPI.RateLimit? = nil,
        database: String? = nil
    ) async throws -> SandboxFixture {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent(
            "refonte-cli-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let path = database ?? home.appendingPathComponent("sandbox.sqlite").path
        let sandbox = try await EmbeddedSandbox.start(
            configuration: SandboxConfiguration(
                database: .file(path: path),
                seed: .demo,
                extraAPIKeys: [key],
                rateLimit: rateLimit,
                faults: faults
            ),
            logger: Logger(label: "test.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        return SandboxFixture(home: home, database: path, sandbox: sandbox)
    }

    private init(home: URL, database: String, sandbox: EmbeddedSandbox) {
        self.home = home
        self.database = database
        self.sandbox = sandbox
    }

    func stop() async {
        await sandbox.stop()
    }

    func removeHome() {
        try? FileManager.default.removeItem(at: home)
    }

    var auditLog: String { home.appendingPathComponent("state/refonte/audit.jsonl").path }

    /// The environment of a run against this sandbox: its key, and XDG folders in `home`.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["REFONTE_PROFILE", "REFONTE_BASE_URL", "REFONTE_DRY_RUN"] { environment[name] = nil }
        environment["REFONTE_API_KEY"] = Self.key
        environment["HOME"] = home.path
        environment["XDG_DATA_HOME"] = home.appendingPathComponent("data").path
        environment["XDG_CONFIG_HOME"] = home.appendingPathComponent("config").path
        environment["XDG_STATE_HOME"] = home.appendingPathComponent("state").path
        environment["REFONTE_LOG_LEVEL"] = "warning"
        return environment
    }

    /// Runs `refonte SUBCOMMAND --base-url <sandbox> REST... ARGUMENTS...`.
    func refonte(
        _ command: [String],
        _ arguments: [String],
        input: String? = nil
    ) async throws -> RunCLI.Output {
        let words =
            Array(command.prefix(1)) + ["--base-url", sandbox.baseURL] + command.dropFirst() + arguments
        return try await RunCLI.run(words, input: input, environment: environment)
    }

    // MARK: - Looking at the sandbox over HTTP

    func get(_ path: String) async throws -> JSONValue {
        try await request(.GET, path)
    }

    @discardableResult
    func post(_ path: String, _ body: String) async throws -> JSONValue {
        try await request(.POST, path, body: body)
    }

    private func request(
        _ method: NIOHTTP1.HTTPMethod,
        _ path: String,
        body: String? = nil
    ) async throws -> JSONValue {
        let root = sandbox.baseURL.replacingOccurrences(of: "/v1", with: "")
        var request = HTTPClientRequest(url: root + path)
        request.method = method
        request.headers.add(
            name: "Authorization",
            value: "Basic " + Data("\(Self.key):".utf8).base64EncodedString()
        )
        request.headers.add(name: "Content-Type", value: "application/json")
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        guard response.status == .ok else {
            throw FixtureError("\(method.rawValue) \(path): \(response.status.code) \(String(buffer: bytes))")
        }
        return try JSONValue.parse(Array(bytes.readableBytesView))
    }

    /// What the sandbox's request log says it received (`/sandbox/requests`).
    func requestCounts() async throws -> (total: Int, writes: Int, statuses: [String: Int]) {
        let log = try await get("/sandbox/requests?limit=1")
        guard case .integer(let total)? = log.value(at: ["total"]),
            case .integer(let writes)? = log.value(at: ["writes"]),
            case .object(let statuses)? = log.value(at: ["by_status"])
        else { throw FixtureError("unexpected request log \(log)") }
        var counts: [String: Int] = [:]
        for (status, count) in statuses { if case .integer(let n) = count { counts[status] = Int(n) } }
        return (Int(total), Int(writes), counts)
    }

    /// Everything a script can change, as the API shows it, without ids and timestamps.
    func state() async throws -> JSONValue {
        var state: [String: JSONValue] = [:]
        state["team"] = try await get("/v1/teams").keeping(["email", "role"]).sorted(by: "email")
        state["assignments"] = try await get("/v1/studio/assignments")
        let projects = try await get("/v1/projects")
        state["projects"] = projects.keeping(["name", "pipeline", "consensus_attempts", "archived", "studio"])
        var groups: [String: JSONValue] = [:]
        if case .array(let items) = projects {
            for case .object(let project) in items where project["studio"] == true {
                guard case .string(let name)? = project["name"] else { continue }
                let list = try await get("/v1/studio/projects/\(PercentEncoding.pathSegment(name))/groups")
                groups[name] = list.keeping(["name", "numWorkers", "workers"]).sortingWorkers().sorted(
                    by: "name"
                )
            }
        }
        state["groups"] = .object(groups)
        state["studio_batches"] = try await get("/v1/studio/batches").keeping([
            "name", "studioPriority", "groups",
        ])
        let tasks = try await get("/v1/tasks?limit=100&project=Street%20Scenes")
        state["tasks"] = tasks.value(at: ["total"]) ?? .null
        return .object(state)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension JSONValue {
    /// Arrays of objects reduced to the given fields (ids and timestamps left out).
    func keeping(_ fields: Set<String>) -> JSONValue {
        switch self {
        case .array(let items): return .array(items.map { $0.keeping(fields) })
        case .object(let members): return .object(members.filter { fields.contains($0.key) })
        default: return self
        }
    }

    /// An array of objects in the order of one of their string fields: the order in which
    /// concurrent calls created them does not matter.
    func sorted(by field: String) -> JSONValue {
        guard case .array(let items) = self else { return self }
        return .array(
            items.sorted { ($0.value(at: [field])?.jsonText ?? "") < ($1.value(at: [field])?.jsonText ?? "") }
        )
    }

    /// Group workers as a sorted list of emails.
    func sortingWorkers() -> JSONValue {
        guard case .array(let groups) = self else { return self }
        return .array(
            groups.map { group in
                guard case .object(var members) = group, case .array(let workers)? = members["workers"] else {
                    return group
                }
                let emails = workers.compactMap { $0.value(at: ["email"]) }.map { $0.jsonText }.sorted()
                members["workers"] = .array(emails.map(JSONValue.string))
                return .object(members)
            }
        )
    }
}
