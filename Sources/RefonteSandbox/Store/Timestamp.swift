import Foundation

/// Milliseconds since 1970, the form in which the store keeps every date.
///
/// Formatting is done by hand: Foundation's formatters cost microseconds per call, and a page
/// of tasks carries hundreds of dates.
struct Timestamp: Sendable, Hashable, Comparable {
    var milliseconds: Int64

    init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    static func now() -> Timestamp {
        Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    static func < (a: Timestamp, b: Timestamp) -> Bool { a.milliseconds < b.milliseconds }

    func adding(days: Int64) -> Timestamp {
        Timestamp(milliseconds: milliseconds + days * 86_400_000)
    }

    /// `2026-11-29T05:03:24.123Z`
    var iso8601: String {
        let ms = milliseconds
        var days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let msOfDay = ms - days * 86_400_000
        // Howard Hinnant's civil_from_days.
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        var year = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        if month <= 2 { year += 1 }
        var out: [UInt8] = []
        out.reserveCapacity(24)
        func digits(_ value: Int64, _ width: Int) {
            var buffer = [UInt8](repeating: 0x30, count: width)
            var v = value
            for i in stride(from: width - 1, through: 0, by: -1) {
                buffer[i] = 0x30 + UInt8(v % 10)
                v /= 10
            }
            out.append(contentsOf: buffer)
        }
        digits(year, 4)
        out.append(UInt8(ascii: "-"))
        digits(month, 2)
        out.append(UInt8(ascii: "-"))
        digits(day, 2)
        out.append(UInt8(ascii: "T"))
        digits(msOfDay / 3_600_000, 2)
        out.append(UInt8(ascii: ":"))
        digits(msOfDay / 60_000 % 60, 2)
        out.append(UInt8(ascii: ":"))
        digits(msOfDay / 1000 % 60, 2)
        out.append(UInt8(ascii: "."))
        digits(msOfDay % 1000, 3)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Accepts `2026-11-29`, `2026-11-29T05:03`, `2026-11-29T05:03:24(.123)(Z|+02:00)`.
    init?(iso8601 text: String) {
        let b = Array(text.utf8)
        var i = 0
        func number(_ width: Int) -> Int64? {
            guard i + width <= b.count else { return nil }
            var v: Int64 = 0
            for k in i..<(i + width) {
                guard b[k] >= 0x30, b[k] <= 0x39 else { return nil }
                v = v * 10 + Int64(b[k] - 0x30)
            }
            i += width
            return v
        }
        func expect(_ c: Character) -> Bool {
            guard i < b.count, b[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var hour: Int64 = 0
        var minute: Int64 = 0
        var second: Int64 = 0
        var millis: Int64 = 0
        var offsetMinutes: Int64 = 0
        if i < b.count {
            guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: " ") else { return nil }
            i += 1
            guard let h = number(2), expect(":"), let m = number(2), h < 24, m < 60 else { return nil }
            hour = h
            minute = m
            if expect(":") {
                guard let s = number(2), s < 61 else { return nil }
                second = s
                if expect(".") {
                    var scale: Int64 = 100
                    var sawDigit = false
                    while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                        millis += Int64(b[i] - 0x30) * scale
                        scale /= 10
                        i += 1
                        sawDigit = true
                    }
                    guard sawDigit else { return nil }
                }
            }
            if expect("Z") || expect("z") {
            } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                let sign: Int64 = b[i] == UInt8(ascii: "+") ? 1 : -1
                i += 1
                guard let oh = number(2) else { return nil }
                _ = expect(":")
                let om = number(2) ?? 0
                offsetMinutes = sign * (oh * 60 + om)
            }
        }
        guard i == b.count else { return nil }
        // days_from_civil
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        self.milliseconds = seconds * 1000 + millis
    }
}
