/// A per-key token bucket: `rate` requests a second on average, bursts up to `burst`.
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    public var requestsPerSecond: Double
    public var burst: Int

    /// What `--rate-limit` accepts: beyond these, a bucket's arithmetic (seconds until full,
    /// whole tokens) would no longer fit the integers of the `X-RateLimit-*` headers.
    public static let rateRange: ClosedRange<Double> = 0.001...1_000_000
    public static let burstRange = 1...1_000_000

    /// Values out of `rateRange` and `burstRange` are brought into them.
    public init(requestsPerSecond: Double, burst: Int? = nil) {
        let rate = requestsPerSecond.isNaN ? Self.rateRange.lowerBound : requestsPerSecond
        self.requestsPerSecond = min(max(rate, Self.rateRange.lowerBound), Self.rateRange.upperBound)
        self.burst = min(
            max(burst ?? Int(self.requestsPerSecond.rounded(.up)), Self.burstRange.lowerBound),
            Self.burstRange.upperBound
        )
    }

    /// The largest whole number of requests per second that the limit allows (the
    /// `X-RateLimit-Limit` header).
    var headerLimit: Int { max(1, Int(requestsPerSecond.rounded(.down))) }

    public var description: String { "\(requestsPerSecond)/s,burst=\(burst)" }

    /// Parses `50/s`, `3000/min`, `10/s,burst=40`.
    public init(parsing text: String) throws(ConfigurationError) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: " ")
        }
        let expected = "expected RATE/UNIT[,burst=N] with UNIT s, m or min (e.g. 50/s or 50/s,burst=100)"
        let ranges =
            "the rate must be from 0.001/s to 1000000/s (0.06/min to 60000000/min) and the burst a whole "
            + "number from 1 to 1000000"
        guard let head = parts.first, let slash = head.firstIndex(of: "/") else {
            throw ConfigurationError(option: "--rate-limit", value: text, expected: expected)
        }
        let number = head[..<slash]
        guard number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "e" || $0 == "E") }),
            let count = Double(number), count.isFinite
        else {
            throw ConfigurationError(option: "--rate-limit", value: text, expected: expected)
        }
        let perSecond: Double
        switch head[head.index(after: slash)...] {
        case "s", "sec", "second": perSecond = count
        case "m", "min", "minute": perSecond = count / 60
        default: throw ConfigurationError(option: "--rate-limit", value: text, expected: expected)
        }
        guard Self.rateRange.contains(perSecond) else {
            throw ConfigurationError(option: "--rate-limit", value: text, expected: ranges)
        }
        var burst: Int?
        for part in parts.dropFirst() {
            guard part.hasPrefix("burst="), let n = Int(part.dropFirst(6)) else {
                throw ConfigurationError(option: "--rate-limit", value: text, expected: expected)
            }
            guard Self.burstRange.contains(n) else {
                throw ConfigurationError(option: "--rate-limit", value: text, expected: ranges)
            }
            burst = n
        }
        self.init(requestsPerSecond: perSecond, burst: burst)
    }
}

/// A configuration string that could not be read; the message names the option.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var option: String
    public var value: String
    public var expected: String

    public var description: String { "\(option) \"\(value)\": \(expected)" }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
