/// Reads the values of `--timeout` and `--max-memory`.
public enum LimitValues {
    public static let durationForms = "a number with ms, s, m or h, e.g. 500ms, 2s, 1.5m, 1h"
    public static let sizeForms =
        "a number with B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB (powers of 1024), e.g. 64MB, 1GiB"

    /// "500ms", "2s", "1.5m", "1h" → a positive Duration.
    public static func duration(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
        guard let (number, scale) = split(text, units: units), number > 0 else { return nil }
        let nanoseconds = number * scale * 1e9
        guard nanoseconds >= 1, nanoseconds < 1e18 else { return nil }
        return .nanoseconds(Int64(nanoseconds))
    }

    /// "64MB", "1GiB", "512KiB", "1000B" → a positive number of bytes.
    public static func size(_ text: String) -> Int? {
        let units: [(String, Double)] = [
            ("kib", 1024), ("mib", 1_048_576), ("gib", 1_073_741_824),
            ("kb", 1e3), ("mb", 1e6), ("gb", 1e9), ("b", 1),
        ]
        guard let (number, scale) = split(text.lowercased(), units: units) else { return nil }
        let bytes = number * scale
        guard bytes >= 1, bytes < 1e18, bytes.rounded() == bytes else { return nil }
        return Int(bytes)
    }

    private static func split(_ text: String, units: [(String, Double)]) -> (Double, Double)? {
        let trimmed = text.trimmingSpaces
        for (suffix, scale) in units.sorted(by: { $0.0.count > $1.0.count }) where trimmed.hasSuffix(suffix) {
            let digits = trimmed.dropLast(suffix.count).trimmingSpaces
            guard !digits.isEmpty, digits.allSatisfy({ $0.isNumber || $0 == "." }),
                let number = Double(digits), number.isFinite
            else { return nil }
            return (number, scale)
        }
        return nil
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
