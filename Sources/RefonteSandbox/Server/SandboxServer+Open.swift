import Foundation
import Logging

extension SandboxServer {
    /// Makes the server (opens, migrates and seeds its database) on a thread of its own.
    ///
    /// Seeding writes thousands of rows through SQLite's blocking calls. On Swift's cooperative
    /// pool, which has one thread per core, that would stall every other task of the process
    /// meanwhile: the script beside an embedded sandbox, or the other sandboxes of a test run.
    public static func open(configuration: SandboxConfiguration, logger: Logger) async throws -> SandboxServer
    {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    with: Result { try SandboxServer(configuration: configuration, logger: logger) }
                )
            }
            thread.name = "sandbox-open"
            thread.start()
        }
    }
}
