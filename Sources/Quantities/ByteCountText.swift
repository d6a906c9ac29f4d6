/// Sizes as people write them (`--max-memory`), parsed and formatted in one place.
public enum ByteCountText {
    public static let forms =
        "a number with B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB (powers of 1024), e.g. 64MB, 1GiB"

    private static let units: [(suffix: String, bytes: Int)] = [
        ("gib", 1 << 30), ("gb", 1_000_000_000), ("mib", 1 << 20), ("mb", 1_000_000), ("kib", 1 << 10),
        ("kb", 1000), ("b", 1),
    ]

    /// `64MB`, `1GiB`, `512KiB`, `1000B`, `1.5KB` → a positive whole number of bytes.
    public static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingSpaces.lowercased()
        for unit in units.sorted(by: { $0.suffix.count > $1.suffix.count })
        where trimmed.hasSuffix(unit.suffix) {
            guard
                let number = PlainDecimal.positive(String(trimmed.dropLast(unit.suffix.count)).trimmingSpaces)
            else { return nil }
            let bytes = number * Double(unit.bytes)
            guard bytes >= 1, bytes < 1e18, bytes.rounded() == bytes else { return nil }
            return Int(bytes)
        }
        return nil
    }

    /// The largest unit that divides the count exactly: `64MB`, `1GiB`, else `123 bytes`.
    public static func format(_ bytes: Int) -> String {
        for unit in units where unit.bytes > 1 && bytes >= unit.bytes && bytes % unit.bytes == 0 {
            let name =
                unit.suffix.count == 3 ? unit.suffix.prefix(1).uppercased() + "iB" : unit.suffix.uppercased()
            return "\(bytes / unit.bytes)\(name)"
        }
        return "\(bytes) bytes"
    }
}
