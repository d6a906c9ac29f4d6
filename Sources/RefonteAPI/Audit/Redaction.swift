import Foundation

/// Takes secrets out of the arguments an audit record keeps: the API key wherever it appears,
/// the values of fields whose names say they hold a secret, and the password of a URL.
enum Redaction {
    static let placeholder = "[redacted]"
    private static let secretNames = [
        "password", "passwd", "secret", "token", "api_key", "apikey", "authorization", "credential",
    ]

    static func redact(_ value: JSONValue, key: APIKey?) -> JSONValue {
        switch value {
        case .string(let text): .string(redact(text, key: key))
        case .array(let items): .array(items.map { redact($0, key: key) })
        case .object(let fields):
            .object(
                Dictionary(
                    uniqueKeysWithValues: fields.map { name, field in
                        (name, isSecret(name) ? .string(placeholder) : redact(field, key: key))
                    }
                )
            )
        case .null, .bool, .integer, .double: value
        }
    }

    static func isSecret(_ name: String) -> Bool {
        let lowered = name.lowercased()
        // `next_token` is a page cursor, not a secret.
        if lowered == "next_token" { return false }
        return secretNames.contains { lowered.contains($0) }
    }

    /// `https://user:pass@host/x` keeps its user and loses its password.
    static func redact(_ text: String, key: APIKey?) -> String {
        var text = key.map { $0.redacting(text) } ?? text
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@")
        else {
            return text
        }
        let authority = text[scheme.upperBound..<at]
        guard !authority.contains("/"), let colon = authority.firstIndex(of: ":") else { return text }
        text.replaceSubrange(text.index(after: colon)..<at, with: placeholder)
        return text
    }
}
