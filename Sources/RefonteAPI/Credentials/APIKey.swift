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
    /// from elsewhere (a server echoing the key back, say).
    public func redacting(_ text: String) -> String {
        text.replacingOccurrences(of: secret, with: masked)
    }
}

extension APIKey {
    public struct KeyShapeError: Error, Sendable, Hashable, CustomStringConvertible {
        public var reason: String
        public var description: String { "not a valid API key: \(reason)" }
    }
}
