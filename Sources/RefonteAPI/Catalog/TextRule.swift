/// What any string of a request may hold, for every operation: declared here once, and read by
/// the client's and the server's checks (`ValueChecker`), the OpenAPI document and the docs.
///
/// No string holds a NUL character (U+0000), not even a key of free-form metadata or params.
/// SQLite and every C string API end a string at the first NUL, so a stored name would be cut
/// short: a batch created as "b\0x" would be stored as "b" (a false 409 for the next "b"), and
/// a lookup of "b\0x" would find the batch "b".
public enum TextRule {
    /// Whether `text` breaks the rule.
    public static func isRefused(_ text: String) -> Bool {
        text.utf8.contains(0)
    }

    /// What a refused string should have been, for "must be ..." messages.
    static let expected = "a string without NUL characters (\\u0000)"
    /// The same for a key of a free-form object.
    static let expectedKeys = "an object whose keys have no NUL characters (\\u0000)"

    /// The rule as a JSON Schema `pattern` (ECMA 262 and Python both read `\u0000`).
    static let pattern = "^[^\\u0000]*$"

    /// One sentence for the reference docs.
    public static let summary =
        "No string may hold a NUL character (`\\0`, U+0000), keys of metadata and params included: "
        + "storage would cut the string short at it, so the client refuses such an argument before "
        + "sending and the API answers 400."
}

extension TextRule {
    /// For requests checked outside the catalog (the sandbox's own `/sandbox/...` routes): why
    /// the first string or key of `value` that breaks the rule is refused, as "`name`.field must
    /// be ... (got ...)", or nil when every one keeps to it.
    public static func refusal(in value: JSONValue, named name: String) -> String? {
        do {
            try ValueChecker(lenientEmptyTables: false, firstIndex: 0).checkFreeForm(value, path: "")
            return nil
        } catch {
            guard case .wrongValue(let expected, let got, _) = error.kind else { return nil }
            return "\(name)\(error.path) must be \(expected) (got \(got))"
        }
    }
}
