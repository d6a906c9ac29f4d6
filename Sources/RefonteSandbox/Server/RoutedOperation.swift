import RefonteAPI

/// One operation as the server routes it: where it lives, and how its raw inputs are checked.
/// Built from the catalog (`CatalogRoutes`), so nothing is served that is not declared there.
struct RoutedOperation: Sendable {
    typealias Validator =
        @Sendable (_ path: [String: String], _ query: [(name: String, value: String)], _ body: [UInt8]?)
        throws(SandboxError) -> ValidatedRequest

    var id: String
    var method: HTTPMethod
    var path: String
    var aliases: [(method: HTTPMethod, path: String)]
    var mutates: Bool
    var validate: Validator
}
