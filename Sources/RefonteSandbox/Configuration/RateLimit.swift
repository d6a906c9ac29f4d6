/// A per-key token bucket: `rate` requests a second on average, bursts up to `burst`.
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    public var requestsPerSecond: Double
    public var burst: Int

    public init(requestsPerSecond: Double, burst: Int? = nil) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst ?? max(1, Int(requestsPerSecond.rounded(.up)))
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
        guard let head = parts.first, let slash = head.firstIndex(of: "/") else {
            throw ConfigurationError(option: "--rate-limit", value: text, expected: expected)
        }
        guard let count = Double(head[..<slash]), count > 0, count.isFinite else {
            throw ConfigurationError(option: "--rate-limit", value: text, expected: expected)
        }
        let perSecond: Double
        switch head[head.index(after: slash)...] {
        case "s", "sec", "second": perSecond = count
        case "m", "min", "minute": perSecond = count / 60
        default: throw ConfigurationError(option: "--rate-limit", value: text, expected: expected)
        }
        var burst: Int?
        for part in parts.dropFirst() {
            guard part.hasPrefix("burst="), let n = Int(part.dropFirst(6)), n > 0 else {
                throw ConfigurationError(option: "--rate-limit", value: text, expected: expected)
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
