import Foundation

/// How fast one client may send requests: a token bucket that refills `perSecond` tokens a
/// second and holds at most `burst`.
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    public var perSecond: Double
    public var burst: Int

    /// `burst` defaults to one second's worth of requests (at least 1).
    public init(perSecond: Double, burst: Int? = nil) {
        self.perSecond = perSecond
        self.burst = max(1, burst ?? Int(perSecond.rounded(.up)))
    }

    /// The default for a client: generous for scripts, gentle on an account.
    public static let standard = RateLimit(perSecond: 20)

    /// `20/s (burst 20)`
    public var description: String {
        let rate =
            perSecond >= 1 && perSecond == perSecond.rounded()
            ? "\(Int(perSecond))/s" : "\(Int((perSecond * 60).rounded()))/m"
        return "\(rate) (burst \(burst))"
    }
}

extension RateLimit {
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var text: String
        public var reason: String

        public var description: String {
            "invalid rate limit \"\(text)\": \(reason); expected requests per second or minute, like \"50/s\" or \"600/m\""
        }
    }

    /// Parses `50/s`, `600/m`, `3600/h` (a count, a slash, a unit). Returns nil for `off`,
    /// which means no client-side limit.
    public static func parse(_ text: String) throws(ParseError) -> RateLimit? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "off" { return nil }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw ParseError(text: text, reason: "missing the \"/unit\" part")
        }
        let countText = parts[0].trimmingCharacters(in: .whitespaces)
        guard let count = Int(countText), count > 0 else {
            throw ParseError(text: text, reason: "\"\(countText)\" is not a positive whole number")
        }
        let seconds: Double
        switch parts[1].trimmingCharacters(in: .whitespaces).lowercased() {
        case "s", "sec", "second": seconds = 1
        case "m", "min", "minute": seconds = 60
        case "h", "hour": seconds = 3600
        default:
            throw ParseError(text: text, reason: "unknown unit \"\(parts[1])\" (use s, m or h)")
        }
        let perSecond = Double(count) / seconds
        // A per-minute limit still allows a small burst, so a script's first few calls go out
        // at once instead of trickling.
        return RateLimit(perSecond: perSecond, burst: max(1, Int(perSecond.rounded(.up))))
    }
}
