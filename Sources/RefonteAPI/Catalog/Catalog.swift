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

    /// The 17 task types, the `{type}` of `POST /task/{type}`.
    public static let taskTypes: [String] = [
        "annotation", "categorization", "comparison", "cuboidannotation", "datacollection",
        "documenttranscription", "imageannotation", "lineannotation", "namedentityrecognition",
        "pointannotation", "polygonannotation", "segmentannotation", "textcollection",
        "transcription", "videoannotation", "videoboxannotation", "chat",
    ]
    public static let taskStatuses = ["pending", "completed", "canceled", "error"]
    public static let batchStatuses = ["staging", "in_progress", "completed"]
    public static let pipelines = ["standard_task", "consensus_task"]
    public static let teammateRoles = ["admin", "manager", "member", "labeler", "invited", "disabled"]
}
