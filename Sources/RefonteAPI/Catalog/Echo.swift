/// How a dry run answers a write it does not send: the response's shape (`Operation.response`)
/// filled with what the script sent, where the real answer would repeat it, and with
/// placeholders ("known after apply") for what only the server can know: ids, timestamps,
/// counts.
///
/// Argument names are wire names (`team_role`), as the request carries them.
public indirect enum Echo: Sendable, Hashable {
    /// The value of an argument; `null` when the script left out a nullable one.
    case argument(String)
    case literal(JSONValue)
    /// The number of elements of an array argument (a new group's `numWorkers`).
    case count(of: String)
    /// The free-form fields the script added (a task's `params`).
    case extraFields
    /// The element of the enclosing `each` or `keyed` this value is built for, or its field.
    case item(String? = nil)
    /// An array with one element per value of an array argument (invited teammates).
    case each(String, Echo)
    /// An object with one member per value of an array argument (Assignments: email → projects).
    case keyed(String, Echo)
    /// An object of the schema's fields: these are given; at the top level, a field named like
    /// an argument repeats it; any other required field is a placeholder, optional ones absent.
    case object([String: Echo])
    /// A placeholder for the whole value.
    case unknown

    /// The default: fields named like arguments repeat them, the rest are placeholders.
    public static let byName = Echo.object([:])
}
