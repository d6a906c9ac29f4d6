import Foundation
import RefonteAPI
import RefonteScripting
import Synchronization

/// The names of the account's projects, for completing `project = "`: fetched with the
/// session's own connection the first time they are needed, then kept for the session.
final class ProjectNames: Sendable {
    private let connection: APIConnection
    private let cached = Mutex<[String]?>(nil)
    /// How long Tab may wait for the first fetch.
    static let wait: Duration = .seconds(5)

    init(connection: APIConnection) {
        self.connection = connection
    }

    /// The names, fetching them if this is the first time; empty when the call fails (the
    /// next Tab tries again). Blocks the calling thread (the REPL's, inside the line editor)
    /// at most `wait`: the call itself runs on other threads.
    func names() -> [String] {
        if let names = cached.withLock({ $0 }) { return names }
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<[String]?>(nil)
        let connection = connection
        let fetch = Task.detached {
            let names = await Self.fetch(connection)
            result.withLock { $0 = names }
            done.signal()
        }
        let (seconds, attoseconds) = Self.wait.components
        guard
            done.wait(
                timeout: .now() + .nanoseconds(Int(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
            ) == .success
        else {
            fetch.cancel()
            return []
        }
        guard let names = result.withLock({ $0 }) else { return [] }
        cached.withLock { $0 = names }
        return names
    }

    private static func fetch(_ connection: APIConnection) async -> [String]? {
        guard let operation = Catalog.operation(id: "projects.list"),
            let request = try? operation.prepare([:])
        else { return nil }
        // Past the run's session: a read for completion is not the user's, so it stays out of
        // a dry run's plan (and a read is never audited).
        let result = await connection.deliver(request)
        guard case .success(let response) = result,
            case .array(let projects) = try? JSONValue.parse(response.body)
        else { return nil }
        return projects.compactMap { project in
            if case .object(let fields) = project, case .string(let name)? = fields["name"] { return name }
            return nil
        }.sorted()
    }
}
