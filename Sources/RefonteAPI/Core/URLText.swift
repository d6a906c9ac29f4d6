/// The form of a URL argument (`file_url`): a scheme from a closed list, `://`, and something
/// after it, with no spaces. Nothing is fetched or resolved.
public enum URLText {
    public static func hasScheme(_ text: String, among schemes: [String]) -> Bool {
        guard !text.contains(" ") else { return false }
        let lower = text.lowercased()
        return schemes.contains { scheme in
            lower.hasPrefix(scheme + "://") && lower.utf8.count > scheme.utf8.count + 3
        }
    }

    /// A pattern for the OpenAPI document: the schemes in lower case, then no spaces.
    public static func pattern(_ schemes: [String]) -> String {
        "^(" + schemes.joined(separator: "|") + ")://[^ ]+$"
    }
}
