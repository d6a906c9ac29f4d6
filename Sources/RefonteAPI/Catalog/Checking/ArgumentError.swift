/// A Lua call whose arguments do not fit its operation, found before anything is sent.
/// Names are the script's names (`role`, not `team_role`).
public struct ArgumentError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The argument is there but its value does not fit.
        case invalidValue
        /// A required argument is absent (or nil).
        case missing
        /// No such argument.
        case unknown
        /// A rule between several arguments is broken; `expected` holds the rule.
        case constraint
    }

    /// The catalog id (`teams.invite`).
    public var operationID: String
    /// The argument, with a path into it when the fault is inside (`batches[2].name`).
    public var field: String
    /// What would have been accepted: a type ("an array of strings"), the allowed argument
    /// names, or the rule.
    public var expected: String
    /// The value that was given, as shown in messages; nil when absent.
    public var got: String?
    public var kind: Kind
    /// For `unknown`, a close known argument name; for `invalidValue`, a close allowed value;
    /// for `missing`, a given (free-form) argument whose name is close to the missing one.
    public var suggestion: String?

    public init(
        operationID: String,
        field: String,
        expected: String,
        got: String? = nil,
        kind: Kind,
        suggestion: String? = nil
    ) {
        self.operationID = operationID
        self.field = field
        self.expected = expected
        self.got = got
        self.kind = kind
        self.suggestion = suggestion
    }

    public var description: String {
        let prefix = "refonte.\(operationID): "
        switch kind {
        case .invalidValue:
            return prefix + "argument '\(field)' must be \(expected)" + (got.map { " (got \($0))" } ?? "")
                + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "")
        case .missing:
            return prefix + "missing required argument '\(field)' (\(expected))"
                + (suggestion.map { "; '\($0)' was given, did you mean '\(field)'?" } ?? "")
        case .unknown:
            return prefix + "unknown argument '\(field)' "
                + (expected.isEmpty
                    ? "(this operation takes no arguments)" : "(expected one of: \(expected))")
                + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .constraint:
            return prefix + expected
        }
    }
}
