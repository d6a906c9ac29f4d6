import Foundation
import RefonteAPI

/// Time zones by IANA name (`Europe/Paris`), with a did-you-mean for a misspelt one.
public enum TimeZoneName {
    public static func zone(_ name: String, flag: String = "--timezone") throws(ScheduleError) -> TimeZone {
        if let zone = TimeZone(identifier: name), !name.isEmpty { return zone }
        let known = TimeZone.knownTimeZoneIdentifiers
        let exact = known.first { $0.lowercased() == name.lowercased() }
        let hint = (exact ?? Suggestion.closest(to: name, in: known)).map { " (did you mean \($0)?)" } ?? ""
        throw .usage(
            "\(flag) \"\(name)\" is not a time zone\(hint); use an IANA name such as Europe/Paris, America/New_York or UTC"
        )
    }

    /// The zone of this machine, by name, for a schedule given no `--timezone`.
    public static var local: TimeZone {
        TimeZone(identifier: TimeZone.current.identifier) ?? .gmt
    }
}
