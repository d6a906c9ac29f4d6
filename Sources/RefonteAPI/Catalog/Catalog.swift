/// Every operation of the API contract, in the contract's order. Adding an operation here adds
/// it to the Lua binding, the argument checks, the sandbox's routes, the OpenAPI document, the
/// reference docs and the editor stubs.
public enum Catalog {
    public static let operations: [Operation] =
        teams + studio + quality + projects + batches + tasks + files

    /// The named response objects that the operations' `response` schemas refer to.
    public static let models: [ResponseModel] = Models.all

    private static let byID: [String: Operation] = Dictionary(
        uniqueKeysWithValues: operations.map { ($0.id, $0) }
    )

    public static func operation(id: String) -> Operation? {
        byID[id]
    }

    public static func model(named name: String) -> ResponseModel? {
        models.first { $0.name == name }
    }

    public static let taskTypes = TaskType.wireValues
    public static let taskStatuses = TaskStatus.wireValues
    public static let batchStatuses = BatchStatus.wireValues
    public static let pipelines = Pipeline.wireValues
    public static let teammateRoles = TeammateRole.wireValues
}
