/// A cron expression that cannot be read: which field, what is wrong, and where, so the message
/// can show the expression with a caret under the bad part.
public struct CronSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var expression: String
    /// The field at fault, or nil when the expression as a whole is wrong (field count, macro).
    public var field: CronField?
    /// What is wrong and what the field takes.
    public var reason: String
    /// Where the bad part starts in `expression` (in characters) and how long it is.
    public var column: Int
    public var length: Int

    public init(expression: String, field: CronField?, reason: String, column: Int, length: Int) {
        self.expression = expression
        self.field = field
        self.reason = reason
        self.column = column
        self.length = max(1, length)
    }

    /// One line saying what is wrong (the field first), then the expression and a caret line.
    public var description: String {
        let head = field.map { "\($0.name): " } ?? ""
        return
            "\(head)\(reason)\n  \(expression)\n  \(String(repeating: " ", count: column))\(String(repeating: "^", count: length))"
    }
}
