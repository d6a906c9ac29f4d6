import RefonteAPI

/// The catalog, as the server routes it: one `RoutedOperation` per declared operation, checked
/// by the catalog's own `validate`, so the server accepts exactly what the client may send.
enum CatalogRoutes {
    static let operations: [RoutedOperation] = Catalog.operations.map { operation in
        RoutedOperation(
            id: operation.id,
            method: operation.method,
            path: operation.path,
            aliases: operation.aliases.map { ($0.method, $0.path) },
            mutates: operation.mutates,
            validate: { path, query, body throws(SandboxError) in
                do throws(RequestValidationError) {
                    return try operation.validate(pathParameters: path, query: query, body: body)
                } catch {
                    throw SandboxError(error.status, "\(operation.id): \(error.message)")
                }
            }
        )
    }

    /// The catalog's OpenAPI document, its server set to the URL the request came in on.
    @Sendable static func openAPIDocument(serverURL: String) -> [UInt8] {
        OpenAPIDocument.json(serverURL: serverURL)
    }
}
