/// The form of an email address that the API accepts where addresses are new (an invitation):
/// one `@`, something before it, a dotted domain after it, no spaces.
public enum EmailAddress {
    public static let example = "ana@example.com"

    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !text.contains(" ") else { return false }
        let domain = parts[1]
        return domain.contains(".") && !domain.hasPrefix(".") && !domain.hasSuffix(".")
    }
}
