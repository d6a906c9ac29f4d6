/// Durations as people write them, parsed and formatted in one place for the whole package:
/// `--timeout`, `timeout` in a profile, retry delays and limit messages.
public enum DurationText {
    /// The forms `parse` reads, for help texts and errors.
    public static let forms =
        "a number with ms, s, m or h, e.g. 500ms, 2s, 1.5m, 1h (a bare number is seconds)"

    /// `500ms`, `2s`, `1.5m`, `1h`, or a bare number of seconds, to the nanosecond. Nil unless
    /// positive and under about 30 years; callers check their own bounds.
    public static func parse(_ text: String) -> Duration? {
        let units: [(suffix: String, seconds: Double)] = [("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
        let trimmed = text.trimmingSpaces.lowercased()
        var number = trimmed
        var scale = 1.0
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            number = String(trimmed.dropLast(unit.suffix.count)).trimmingSpaces
            scale = unit.seconds
            break
        }
        guard let value = PlainDecimal.positive(number) else { return nil }
        let nanoseconds = value * scale * 1e9
        guard nanoseconds >= 1, nanoseconds < 1e18 else { return nil }
        return .nanoseconds(Int64(nanoseconds.rounded()))
    }

    /// `60s` for whole seconds, `1500ms` or `250ms` otherwise (milliseconds, rounded).
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds)s" }
        let milliseconds = (Double(seconds) * 1000 + Double(attoseconds) / 1e15).rounded()
        return "\(Int64(milliseconds))ms"
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
