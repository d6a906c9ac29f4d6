/// The version of refonte that clients report in their user agent.
public enum RefonteVersion {
    public static let current = "0.1.0"
}

enum UserAgent {
    /// `refonte-lua/0.1.0 Swift/6.3 OS/Linux` plus the caller's suffix, if any.
    static func make(suffix: String?) -> String {
        var agent = "refonte-lua/\(RefonteVersion.current) Swift/\(swiftVersion) OS/\(operatingSystem)"
        if let suffix = suffix.map(sanitized), !suffix.isEmpty {
            agent += " " + suffix
        }
        return agent
    }

    /// A header value must not carry line breaks or other control characters.
    private static func sanitized(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && $0.isASCII })
    }

    static var swiftVersion: String {
        #if swift(>=6.4)
        "6.4"
        #elseif swift(>=6.3)
        "6.3"
        #elseif swift(>=6.2)
        "6.2"
        #elseif swift(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }

    static var operatingSystem: String {
        #if os(Linux)
        "Linux"
        #elseif os(macOS)
        "macOS"
        #elseif os(Windows)
        "Windows"
        #else
        "unknown"
        #endif
    }
}
