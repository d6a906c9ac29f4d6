/// Answers one operation: the checked request in, the JSON body of the 200 out. Refusals are
/// thrown as `SandboxError`.
typealias OperationHandler = @Sendable (OperationRequest, SandboxStore) async throws -> [UInt8]

/// The handlers, keyed by catalog id, matched one to one with the catalog's operations.
enum HandlerTable {
    /// Every handler as its group declares it; a repeated id stays visible here, and `make`
    /// refuses it.
    static let declared: [(id: String, handler: OperationHandler)] = [
        TeamHandlers.all, StudioHandlers.all, QualityHandlers.all, ProjectHandlers.all,
        BatchHandlers.all, TaskHandlers.all, FileHandlers.all,
    ].flatMap { group in group.map { (id: $0.key, handler: $0.value) } }

    /// The handlers by operation id, when every operation has exactly one handler and every
    /// handler serves one of the operations; otherwise the server must not start.
    static func make(
        for operationIDs: [String],
        from entries: [(id: String, handler: OperationHandler)] = declared
    ) throws(SandboxStartupError) -> [String: OperationHandler] {
        var table: [String: OperationHandler] = [:]
        var repeated: [String] = []
        for entry in entries {
            if table.updateValue(entry.handler, forKey: entry.id) != nil { repeated.append(entry.id) }
        }
        let declared = Set(operationIDs)
        var problems: [String] = []
        let missing = operationIDs.filter { table[$0] == nil }
        if !missing.isEmpty {
            problems.append(
                "the catalog declares operations that the sandbox has no handler for: "
                    + missing.joined(separator: ", ")
            )
        }
        if !repeated.isEmpty {
            problems.append(
                "operations with more than one handler: " + uniqued(repeated).joined(separator: ", ")
            )
        }
        let extra = uniqued(entries.map(\.id).filter { !declared.contains($0) })
        if !extra.isEmpty {
            problems.append(
                "handlers for operations that the catalog does not declare: " + extra.joined(separator: ", ")
            )
        }
        guard problems.isEmpty else { throw SandboxStartupError(problems.joined(separator: "; ")) }
        return table
    }
}
