import Foundation

/// A wall-clock minute (`2025-03-30 02:30`) in no particular zone.
///
/// Dates are computed with the proleptic Gregorian calendar in plain integer arithmetic, so a
/// fire time never depends on a calendar object's settings.
public struct LocalTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    /// The wall time `seconds` after 1970-01-01 00:00 (seconds within the minute are dropped).
    init(wallSeconds seconds: Int64) {
        let days = seconds.floorDivided(by: 86400)
        let (year, month, day) = Self.civil(fromDays: days)
        let inDay = Int(seconds - days * 86400)
        self.init(year: year, month: month, day: day, hour: inDay / 3600, minute: inDay % 3600 / 60)
    }

    /// The wall time in `zone` at `instant`.
    public init(_ instant: Date, in zone: TimeZone) {
        let seconds = Int64(instant.timeIntervalSince1970.rounded(.down))
        self.init(wallSeconds: seconds + Int64(zone.secondsFromGMT(for: instant)))
    }

    /// Days since 1970-01-01 of this date.
    var days: Int64 { Self.days(year: year, month: month, day: day) }

    /// This wall time counted in seconds as though it were UTC.
    var wallSeconds: Int64 { days * 86400 + Int64(hour * 3600 + minute * 60) }

    /// 0 for Sunday to 6 for Saturday.
    var weekday: Int { Int((days + 4).floorModulo(7)) }

    public var description: String {
        "\(pad(year, 4))-\(pad(month))-\(pad(day)) \(pad(hour)):\(pad(minute))"
    }

    /// `02:30`.
    public var timeText: String { "\(pad(hour)):\(pad(minute))" }

    public static func < (a: LocalTime, b: LocalTime) -> Bool { a.wallSeconds < b.wallSeconds }

    static func days(year: Int, month: Int, day: Int) -> Int64 {
        // Howard Hinnant's days_from_civil.
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = z.floorDivided(by: 146097)
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

private func pad(_ value: Int, _ width: Int = 2) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return self % divisor != 0 && (self < 0) != (divisor < 0) ? quotient - 1 : quotient
    }

    func floorModulo(_ divisor: Int64) -> Int64 { self - floorDivided(by: divisor) * divisor }
}
