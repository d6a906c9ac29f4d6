import RefonteAPI
import RefonteScripting

/// The names below `refonte` as the catalog declares them: groups, operations, each paginated
/// group's `iter`, and the helpers every script has (`try`, `env`).
enum CatalogNames {
    /// A name and whether it is a group (a table of more names).
    struct Name: Hashable {
        var name: String
        var isGroup: Bool
    }

    /// The names directly below `refonte.<path>` (`[]` for `refonte.` itself).
    static func children(of path: [String]) -> [Name] {
        var names: Set<Name> = []
        if path.isEmpty {
            names.insert(Name(name: "try", isGroup: false))
            names.insert(Name(name: "env", isGroup: true))
        }
        var ids = Catalog.operations.map(\.luaPath)
        ids += Catalog.operations.compactMap {
            $0.iteratorID.map { $0.split(separator: ".").map(String.init) + ["iter"] }
        }
        for id in ids where id.count > path.count && Array(id.prefix(path.count)) == path {
            names.insert(Name(name: id[path.count], isGroup: id.count > path.count + 1))
        }
        return names.sorted { $0.name < $1.name }
    }
}
