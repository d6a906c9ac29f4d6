import Foundation

/// Times and durations as the schedule commands print them.
public enum TimeText {
    /// `2025-03-30 03:00 CEST`: wall time in `zone`, with the zone's abbreviation.
    public static func format(_ instant: Date, in zone: TimeZone) -> String {
        let abbreviation = zone.abbreviation(for: instant) ?? zone.identifier
        return "\(LocalTime(instant, in: zone)) \(abbreviation)"
    }

    /// `2025-03-30T01:00:00Z`.
    public static func iso(_ instant: Date, milliseconds: Bool = false) -> String {
        iso(instant, in: .gmt, milliseconds: milliseconds)
    }

    /// `2025-03-30T03:00:00+02:00`: RFC 3339 with the zone's offset at that instant (`Z` for UTC),
    /// and `.250` before it when `milliseconds` is true.
    public static func iso(_ instant: Date, in zone: TimeZone, milliseconds: Bool = false) -> String {
        let offset = zone.secondsFromGMT(for: instant)
        let total = instant.milliseconds
        let seconds = total.floorDivided(by: 1000) + Int64(offset)
        let local = LocalTime(wallSeconds: seconds)
        let second = Int(seconds.floorModulo(60))
        var date =
            "\(local.description.replacingOccurrences(of: " ", with: "T")):\(second < 10 ? "0" : "")\(second)"
        if milliseconds {
            let fraction = Int(total.floorModulo(1000))
            date += "." + String(String(fraction + 1000).dropFirst())
        }
        guard offset != 0 else { return date + "Z" }
        let minutes = abs(offset) / 60
        let hh = minutes / 60 < 10 ? "0\(minutes / 60)" : "\(minutes / 60)"
        let mm = minutes % 60 < 10 ? "0\(minutes % 60)" : "\(minutes % 60)"
        return date + (offset < 0 ? "-" : "+") + hh + ":" + mm
    }
}
