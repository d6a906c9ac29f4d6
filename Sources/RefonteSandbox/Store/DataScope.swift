/// Parts of a tenant's data that change independently, so that creating tasks does not drop
/// the cached team list.
struct DataScope: OptionSet, Sendable {
    let rawValue: Int

    /// Teammates, assignments and labeler groups.
    static let team = DataScope(rawValue: 1 << 0)
    /// Projects, batches, tasks, attempts and files.
    static let work = DataScope(rawValue: 1 << 1)
    static let all: DataScope = [.team, .work]

    static let count = 2

    var indices: [Int] { (0..<Self.count).filter { rawValue & (1 << $0) != 0 } }

    /// What a read operation's answer depends on. Only the team views are narrower than
    /// everything: they show no project, batch or task data besides assigned project names,
    /// and projects are never renamed or deleted.
    static func read(by operationID: String) -> DataScope {
        switch operationID {
        case "teams.list", "studio.assignments.list": .team
        default: .all
        }
    }
}
