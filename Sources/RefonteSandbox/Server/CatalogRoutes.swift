// Interim: replaced by the catalog binding once the catalog branch is merged.
enum CatalogRoutes {
    static let operations: [RoutedOperation] = []
    @Sendable static func openAPIDocument() -> [UInt8] { Array("{}".utf8) }
}
