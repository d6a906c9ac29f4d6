/// A rule between several arguments of one operation, checked on both sides of the wire.
/// Names are wire names.
public enum Constraint: Sendable, Hashable {
    /// At least one of these must be given (quality attempts need task ids or emails). A boolean
    /// counts only when true: `all_batches = false` names no batch.
    case atLeastOne(of: [String])
    /// `field` may only be given when `other` holds `value` (`consensus_attempts` needs the
    /// `consensus_task` pipeline).
    case onlyWith(field: String, other: String, equal: JSONValue)
}

extension Constraint {
    /// The argument a violation is reported against.
    var field: String? {
        switch self {
        case .atLeastOne(let names): names.first
        case .onlyWith(let field, _, _): field
        }
    }

    /// The broken rule in words, or nil when the rule holds. `value` looks an argument up by
    /// wire name; `name` gives the name to show for a wire name.
    func violation(_ value: (String) -> JSONValue?, name: (String) -> String) -> String? {
        switch self {
        case .atLeastOne(let names):
            if names.contains(where: { value($0) != nil && value($0) != .bool(false) }) { return nil }
            let falses = names.filter { value($0) == .bool(false) }.map { "'\(name($0))' is false" }
            return "at least one of the arguments " + names.map { "'\(name($0))'" }.joined(separator: ", ")
                + " is required" + (falses.isEmpty ? "" : " (" + falses.joined(separator: ", ") + ")")
        case .onlyWith(let field, let other, let equal):
            guard value(field) != nil, value(other) != equal else { return nil }
            return "argument '\(name(field))' is only allowed when '\(name(other))' is \(equal.jsonText)"
                + " (got \(value(other)?.shortDescription ?? "none"))"
        }
    }
}

extension Constraint {
    /// The rule in words, naming each wire name with `name`: for docs and the OpenAPI document.
    public func ruleText(name: (String) -> String) -> String {
        switch self {
        case .atLeastOne(let names):
            "At least one of " + names.map { "`\(name($0))`" }.joined(separator: ", ") + " is required."
        case .onlyWith(let field, let other, let equal):
            "`\(name(field))` is only allowed when `\(name(other))` is \(equal.jsonText)."
        }
    }
}
