/// Answers one operation: the checked request in, the JSON body of the 200 out. Refusals are
/// thrown as `SandboxError`.
typealias OperationHandler = @Sendable (OperationRequest, SandboxStore) async throws -> [UInt8]

/// Every operation that the sandbox serves, keyed by catalog id. The server refuses to start
/// when the catalog declares an operation that has no entry here.
enum HandlerTable {
    static let handlers: [String: OperationHandler] = {
        var table: [String: OperationHandler] = [:]
        for part in [
            TeamHandlers.all, StudioHandlers.all, QualityHandlers.all, ProjectHandlers.all,
            BatchHandlers.all, TaskHandlers.all, FileHandlers.all,
        ] {
            table.merge(part) { first, _ in first }
        }
        return table
    }()
}
