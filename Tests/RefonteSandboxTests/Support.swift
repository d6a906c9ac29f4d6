import Foundation
import Logging
import RefonteAPI
import Testing

@testable import RefonteSandbox

/// A seeded store in a temporary directory, and shortcuts to call handlers on it directly.
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

    /// Calls the handler of `operation` and parses its JSON answer.
    @discardableResult
    func call(
        _ operation: String,
        _ values: [String: JSONValue] = [:],
        extra: [String: JSONValue] = [:],
        as tenant: Tenant? = nil
    ) async throws -> Any {
        let handler = try #require(HandlerTable.handlers[operation], "no handler for \(operation)")
        let bytes = try await handler(
            OperationRequest(
                operationID: operation,
                tenant: tenant ?? self.tenant,
                values: values,
                extraBodyFields: extra
            ),
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
