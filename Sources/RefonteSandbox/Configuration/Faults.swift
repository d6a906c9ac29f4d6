/// Injected failures, each a probability per API request (0 to 1), plus added latency.
public struct Faults: Sendable, Hashable, CustomStringConvertible {
    /// 500 before anything happens.
    public var error: Double
    /// 429 with `Retry-After`, as if the account's limit were hit.
    public var throttle: Double
    /// The connection is dropped without a response.
    public var reset: Double
    /// The write is applied, then answered 500: the false failure a retry must survive.
    public var lateError: Double
    /// Added before every API response.
    public var latencyMilliseconds: Int

    public static let none = Faults()

    public init(
        error: Double = 0,
        throttle: Double = 0,
        reset: Double = 0,
        lateError: Double = 0,
        latencyMilliseconds: Int = 0
    ) {
        self.error = error
        self.throttle = throttle
        self.reset = reset
        self.lateError = lateError
        self.latencyMilliseconds = latencyMilliseconds
    }

    public var isNone: Bool { self == .none }

    public var description: String {
        "error=\(error),throttle=\(throttle),latency=\(latencyMilliseconds)ms,reset=\(reset),late-error=\(lateError)"
    }

    /// Parses `error=0.1,throttle=0.05,latency=20ms,reset=0.01,late-error=0.05`.
    public init(parsing text: String) throws(ConfigurationError) {
        self.init()
        let expected =
            "expected comma-separated NAME=VALUE with NAME one of error, throttle, reset, late-error "
            + "(a probability from 0 to 1) or latency (milliseconds, e.g. 20ms)"
        for item in text.split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1).map { String($0).filter { $0 != " " } }
            guard pair.count == 2 else {
                throw ConfigurationError(option: "--faults", value: text, expected: expected)
            }
            let (name, value) = (pair[0], pair[1])
            if name == "latency" {
                let digits = value.hasSuffix("ms") ? String(value.dropLast(2)) : value
                guard let ms = Int(digits), ms >= 0, ms <= 60_000 else {
                    throw ConfigurationError(
                        option: "--faults",
                        value: text,
                        expected: "latency must be whole milliseconds from 0 to 60000 (e.g. latency=20ms)"
                    )
                }
                latencyMilliseconds = ms
                continue
            }
            guard let p = Double(value), p >= 0, p <= 1 else {
                throw ConfigurationError(
                    option: "--faults",
                    value: text,
                    expected: "\(name) must be a probability from 0 to 1, got \"\(value)\""
                )
            }
            switch name {
            case "error": error = p
            case "throttle": throttle = p
            case "reset": reset = p
            case "late-error", "late_error": lateError = p
            default:
                throw ConfigurationError(
                    option: "--faults",
                    value: text,
                    expected: "unknown fault \"\(name)\"; \(expected)"
                )
            }
        }
        // One roll per request picks among these three, so they share the unit interval.
        guard error + throttle + reset <= 1 else {
            throw ConfigurationError(
                option: "--faults",
                value: text,
                expected:
                    "error + throttle + reset must not exceed 1 (one draw per request picks at most one)"
            )
        }
    }
}
