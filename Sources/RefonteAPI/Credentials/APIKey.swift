import Foundation

/// An API key. Printing, interpolating, dumping or logging it shows only a masked form
/// (`test_ab****`); the raw value leaves this type through one accessor, used by the client
/// to build the `Authorization` header.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The account mode a key belongs to, from its prefix.
    public enum Mode: String, Sendable, Hashable {
        case live
        case test
        /// Not `live_…` or `test_…`: accepted with a warning (see `shapeWarning`).
        case unknown
    }

    private let secret: String

    /// Checks the key's shape. A key must be one line of printable ASCII without spaces or
    /// `:` (Basic auth uses `:` to end the user name); keys that do not start with `live_` or
    /// `test_` are accepted (the API may issue new forms) but `shapeWarning` describes them.
    public init(_ raw: String) throws(KeyShapeError) {
        guard !raw.isEmpty else { throw KeyShapeError(reason: "it is empty") }
        for scalar in raw.unicodeScalars {
            if scalar == ":" { throw KeyShapeError(reason: "it contains ':'") }
            if scalar.value <= 0x20 || scalar.value >= 0x7F {
                throw KeyShapeError(reason: "it contains spaces, line breaks or non-ASCII characters")
            }
        }
        secret = raw
    }

    public var mode: Mode {
        if secret.hasPrefix("live_") { return .live }
        if secret.hasPrefix("test_") { return .test }
        return .unknown
    }

    /// A warning for a key of an unexpected shape, nil for a `live_…`/`test_…` key.
    public var shapeWarning: String? {
        mode == .unknown
            ? "the API key \(masked) does not start with live_ or test_; check that it is a Refonte.AI key"
            : nil
    }

    /// The mode prefix and two more characters, then stars; nothing of a short key. The
    /// number of stars is fixed so the mask does not reveal the key's length.
    public var masked: String {
        let prefixLength = mode == .unknown ? 0 : 5
        guard secret.count >= prefixLength + 8 else { return "****" }
        return String(secret.prefix(prefixLength + 2)) + "****"
    }

    public var description: String { masked }
    public var debugDescription: String { "APIKey(\(masked))" }
    public var customMirror: Mirror { Mirror(self, children: ["masked": masked], displayStyle: .struct) }

    /// The one way to the raw key: the value of an HTTP Basic `Authorization` header for it
    /// (the key as user name, an empty password).
    package func basicAuthorizationHeader() -> String {
        "Basic " + Data("\(secret):".utf8).base64EncodedString()
    }

    /// `text` with every occurrence of the key replaced by its mask, for messages that came
    /// from elsewhere (a server echoing the key back, say). A server may echo the key in any
    /// form it saw or made of it, so each of these is masked too: the `Authorization` value and
    /// its base64 alone (with or without padding, standard or URL-safe alphabet, of `key:` and of
    /// the bare key), and any of these percent-encoded, in whole or in part, in either case.
    public func redacting(_ text: String) -> String {
        guard !text.isEmpty else { return text }
        var bytes = Array(text.utf8)
        var changed = false
        for form in secretForms {
            changed = SecretScrubber.replace(form, in: &bytes, with: Array(masked.utf8)) || changed
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// The key and every encoding of it that travels in a request, longest first so that a
    /// longer form is masked whole before a shorter one inside it.
    private var secretForms: [[UInt8]] {
        var forms: Set<String> = [secret]
        for plain in [secret + ":", secret] {
            let standard = Data(plain.utf8).base64EncodedString()
            let unpadded = String(standard.prefix { $0 != "=" })
            for base64 in [standard, unpadded] {
                forms.insert(base64)
                forms.insert(
                    base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                )
            }
        }
        return forms.sorted { $0.utf8.count > $1.utf8.count }.map { Array($0.utf8) }
    }
}

extension APIKey {
    public struct KeyShapeError: Error, Sendable, Hashable, CustomStringConvertible {
        public var reason: String
        public var description: String { "not a valid API key: \(reason)" }
    }
}
