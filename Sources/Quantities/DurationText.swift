/// Durations as people write them, parsed and formatted in one place for the whole package:
/// `--timeout`, `timeout` in a profile, retry delays and limit messages.
public enum DurationText {
    /// The forms `parse` reads, for help texts and errors.
    public static let forms =
        "a number with ms, s, m or h, e.g. 500ms, 2s, 1.5m, 1h (a bare number is seconds)"

    /// `500ms`, `2s`, `1.5m`, `1h`, a sum of such parts as `format` writes them (`1h30m`,
    /// `2m5s`), or a bare number of seconds, to the nanosecond. Nil unless positive and under
    /// about 30 years; callers check their own bounds.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingSpaces.lowercased()
        if let value = PlainDecimal.positive(trimmed) { return duration(seconds: value) }
        var rest = Substring(trimmed)
        var seconds = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            guard let value = PlainDecimal.positive(String(number)),
                let scale = units[String(unit)]
            else { return nil }
            seconds += value * scale
        }
        return duration(seconds: seconds)
    }

    private static let units: [String: Double] = ["ms": 1e-3, "s": 1, "m": 60, "h": 3600]

    private static func duration(seconds: Double) -> Duration? {
        let nanoseconds = seconds * 1e9
        guard nanoseconds >= 1, nanoseconds < 1e18 else { return nil }
        return .nanoseconds(Int64(nanoseconds.rounded()))
    }

    /// As a person writes it: `350ms` under a second, `1.89s` (to the millisecond) under a
    /// minute, then whole seconds as hours, minutes and seconds: `1m`, `2m5s`, `1h30m`.
    public static func format(_ duration: Duration) -> String {
        let (wholeSeconds, attoseconds) = duration.components
        let milliseconds = (Double(wholeSeconds) * 1000 + Double(attoseconds) / 1e15).rounded()
        if milliseconds < 1000 { return "\(Int64(milliseconds))ms" }
        if milliseconds < 60_000 {
            var text = String(Int64(milliseconds) / 1000)
            var fraction = String(Int64(milliseconds) % 1000)
            if fraction != "0" {
                fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
                while fraction.hasSuffix("0") { fraction.removeLast() }
                text += "." + fraction
            }
            return text + "s"
        }
        let seconds = Int64((milliseconds / 1000).rounded())
        let (hours, minutes, rest) = (seconds / 3600, seconds % 3600 / 60, seconds % 60)
        var text = ""
        if hours > 0 { text += "\(hours)h" }
        if minutes > 0 { text += "\(minutes)m" }
        if rest > 0 { text += "\(rest)s" }
        return text
    }
}

/// Plain decimals, the only numbers the text forms take: digits with an optional fraction, no
/// sign, exponent, "inf" or "nan".
enum PlainDecimal {
    static func positive(_ text: String) -> Double? {
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), !pieces[0].isEmpty,
            pieces.allSatisfy({ $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
            pieces.count == 1 || !pieces[1].isEmpty,
            let value = Double(text), value > 0, value.isFinite
        else { return nil }
        return value
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
