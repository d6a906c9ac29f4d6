import GRDB

/// A `WHERE` clause built one condition at a time, its arguments kept in step with its `?`s.
/// Every list handler filters through one, so a filter is written the same way everywhere.
struct SQLFilter {
    private(set) var clause: String
    private(set) var arguments: StatementArguments

    init(_ condition: String, _ arguments: StatementArguments = []) {
        self.clause = condition
        self.arguments = arguments
    }

    /// Adds `AND condition`.
    mutating func and(_ condition: String, _ arguments: StatementArguments = []) {
        clause += " AND " + condition
        self.arguments += arguments
    }

    /// Adds `AND column = value` when there is a value.
    mutating func and(_ column: String, equals value: (some DatabaseValueConvertible)?) {
        guard let value else { return }
        and("\(column) = ?", [value])
    }

    /// Adds `AND column IN (...)` when the list is not empty.
    mutating func and(_ column: String, in values: [String]) {
        guard !values.isEmpty else { return }
        and("\(column) IN (\(Self.placeholders(values.count)))", StatementArguments(values))
    }

    /// `?, ?, ?` for a list of `count` values.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
    }
}
