import Foundation
import Logging
import RefonteAPI
import Testing

@testable import RefonteSandbox

/// A seeded store in a temporary directory, and shortcuts to call handlers on it: each call is
/// checked by the catalog's `validate` exactly as the server checks a request, then handled.
struct Fixture {
    let store: SandboxStore
    let directory: String
    let tenant: Tenant

    init(seed: Bool = true, mode: Tenant.Mode = .test) async throws {
        directory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("refonte-test-\(RandomID.make(length: 10))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try SandboxStore(path: directory + "/sandbox.sqlite", logger: Logger(label: "test"))
        if seed { try DemoSeed.apply(to: store) }
        tenant = try #require(try await store.tenant(forKey: try store.anyKey(mode: mode)))
    }

    /// A tenant of another account, without Studio and without data.
    func plainTenant() async throws -> Tenant {
        let key = try store.createKey(account: "plain-\(RandomID.make(length: 6))", mode: .test)
        return try await store.tenant(forKey: key)!
    }

    /// Sends `values` (keyed by wire name; `extra` are free-form body fields) to `operation` as
    /// the server receives a request: split into path, query and body, checked by the route's
    /// own `validate`, then handled. Returns the parsed JSON answer.
    @discardableResult
    func call(
        _ operation: String,
        _ values: [String: JSONValue] = [:],
        extra: [String: JSONValue] = [:],
        as tenant: Tenant? = nil
    ) async throws -> Any {
        let route = try #require(
            CatalogRoutes.operations.first { $0.id == operation },
            "no route for \(operation)"
        )
        let handlers = try HandlerTable.make(for: CatalogRoutes.operations.map(\.id))
        let handler = try #require(handlers[operation], "no handler for \(operation)")
        let request = try WireRequest(
            operation: try #require(Catalog.operation(id: operation)),
            values,
            extra: extra
        )
        let checked = try route.validate(request.path, request.query, request.body)
        let bytes = try await handler(
            OperationRequest(arguments: checked, tenant: tenant ?? self.tenant),
            store
        )
        return try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    /// The refusal that `operation` answers with (fails the test when it succeeds).
    func refusal(
        _ operation: String,
        _ values: [String: JSONValue] = [:],
        as tenant: Tenant? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> SandboxError {
        do {
            try await call(operation, values, as: tenant)
        } catch let error as SandboxError {
            return error
        }
        Issue.record("\(operation) succeeded but was expected to fail", sourceLocation: sourceLocation)
        return SandboxError(0, "")
    }

    func count(_ sql: String, _ arguments: [String] = []) throws -> Int64 {
        try store.integer(sql, arguments)
    }
}

extension JSONValue {
    static func strings(_ items: [String]) -> JSONValue { .array(items.map(JSONValue.string)) }
}

/// Reads a path like "docs.0.name" out of parsed JSON.
func json(_ value: Any, _ path: String = "") -> Any? {
    var current: Any? = value
    for part in path.split(separator: ".") {
        if let index = Int(part), let array = current as? [Any] {
            current = index < array.count ? array[index] : nil
        } else if let object = current as? [String: Any] {
            current = object[String(part)]
        } else {
            return nil
        }
    }
    return current
}

/// Values keyed by wire name, laid out as they travel: path segments (decoded, as the router
/// hands them over), repeated query keys, and a JSON body.
struct WireRequest {
    var path: [String: String] = [:]
    var query: [(name: String, value: String)] = []
    var body: [UInt8]?

    init(operation: RefonteAPI.Operation, _ values: [String: JSONValue], extra: [String: JSONValue]) throws {
        var fields = extra
        var whole: JSONValue?
        for name in values.keys.sorted() {
            let value = values[name]!
            guard let parameter = operation.parameters.first(where: { $0.wireName == name }) else {
                fields[name] = value  // free-form, or refused by validate as the server would
                continue
            }
            // A null is absent: a client leaves it out of a path or a query.
            if value == .null, parameter.location == .path || parameter.location == .query { continue }
            switch parameter.location {
            case .path: path[name] = Self.text(value)
            case .query:
                if case .array(let items) = value {
                    query += items.map { (name, Self.text($0)) }
                } else {
                    query.append((name, Self.text(value)))
                }
            case .body: fields[name] = value
            case .wholeBody: whole = value
            }
        }
        if let whole {
            body = whole.encoded()
        } else if !fields.isEmpty {
            body = JSONValue.object(fields).encoded()
        }
    }

    private static func text(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return value.jsonText
    }
}
