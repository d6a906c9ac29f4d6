/// How fast requests may go: a token bucket that refills `perSecond` tokens a second and holds
/// at most `burst`. The client limits itself with one (`rate_limit` in a profile); the sandbox
/// limits each key with one (`refonte sandbox --rate-limit`). Both read the same grammar.
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    public var perSecond: Double
    public var burst: Int

    /// The largest rate and burst a limit may name: past this it limits nothing, and a typo
    /// such as `1e19/s` is better refused than obeyed.
    public static let maximum = 1_000_000
    /// The slowest rate a limit may name.
    public static let minimumPerSecond = 0.001

    /// `burst` defaults to one second's worth of requests (at least 1), so a per-minute limit
    /// still lets a script's first call go out at once.
    public init(perSecond: Double, burst: Int? = nil) {
        self.perSecond = perSecond
        self.burst = max(1, burst ?? Int(perSecond.rounded(.up)))
    }

    /// The default for a client: generous for scripts, gentle on an account.
    public static let standard = RateLimit(perSecond: 20)

    /// The whole number of requests per second the limit allows, at least 1 (what the sandbox
    /// sends as `X-RateLimit-Limit`).
    public var wholePerSecond: Int { max(1, Int(perSecond.rounded(.down))) }

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
            "invalid rate limit \"\(text)\": \(reason); expected requests per second, minute or hour, "
                + "like \"50/s\" or \"600/m\", optionally with a burst, like \"50/s,burst=100\", or \"off\""
        }
    }

    /// Parses `50/s`, `600/m`, `3600/h`, `0.5/s` (a count, a slash, a unit: s, sec, second, m,
    /// min, minute, h, hour), optionally followed by `,burst=N`. Returns nil for `off`: no limit.
    public static func parse(_ text: String) throws(ParseError) -> RateLimit? {
        func fail(_ reason: String) -> ParseError { ParseError(text: text, reason: reason) }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
        if parts.count == 1, parts[0].lowercased() == "off" { return nil }
        let halves = parts[0].split(separator: "/", omittingEmptySubsequences: false).map {
            $0.trimmingSpaces
        }
        guard halves.count == 2 else { throw fail("missing the \"/unit\" part") }
        let countText = halves[0]
        guard let count = positiveDecimal(countText) else {
            throw fail("\"\(countText)\" is not a positive decimal number like 50 or 0.5")
        }
        let seconds: Double
        switch halves[1].lowercased() {
        case "s", "sec", "second": seconds = 1
        case "m", "min", "minute": seconds = 60
        case "h", "hour": seconds = 3600
        default: throw fail("unknown unit \"\(halves[1])\" (use s, m or h)")
        }
        let perSecond = count / seconds
        guard perSecond <= Double(maximum) else {
            throw fail("more than \(maximum) requests per second")
        }
        // Slower than this, the seconds until a bucket refills no longer fit what the sandbox
        // sends in `X-RateLimit-Reset`, and no script would wait that long anyway.
        guard perSecond >= minimumPerSecond else {
            throw fail("less than \(minimumPerSecond) requests per second (3.6/h)")
        }
        var burst: Int?
        for part in parts.dropFirst() {
            guard part.hasPrefix("burst="), let n = Int(part.dropFirst(6)), (1...maximum).contains(n) else {
                throw fail("\"\(part)\" is not burst=N with N from 1 to \(maximum)")
            }
            burst = n
        }
        return RateLimit(perSecond: perSecond, burst: burst)
    }

    /// Digits with an optional fraction ("50", "0.5"); no sign, exponent or "inf".
    private static func positiveDecimal(_ text: String) -> Double? {
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count),
            pieces.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
            let value = Double(text), value > 0
        else { return nil }
        return value
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: String {
        String(
            drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" })
                .reversed()
        )
    }
}
