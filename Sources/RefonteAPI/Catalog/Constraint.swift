/// A rule between several arguments of one operation, checked on both sides of the wire.
/// Names are wire names.
public enum Constraint: Sendable, Hashable {
    /// At least one of these must be present (quality attempts need task ids or emails).
    case atLeastOne(of: [String])
    /// `field` may only be given when `other` holds `value` (`consensus_attempts` needs the
    /// `consensus_task` pipeline).
    case onlyWith(field: String, other: String, equal: JSONValue)
}
