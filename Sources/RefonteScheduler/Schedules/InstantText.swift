import Foundation

/// Reads a point in time as `schedule next --after` takes it: RFC 3339 with an offset
/// (`2025-03-30T01:00:00Z`, `…+02:00`), or a wall time in the schedule's zone without one
/// (`2025-03-30T01:30`, `2025-03-30 01:30`, `2025-03-30`).
public enum InstantText {
    public static let forms =
        "YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +02:00, or without one for a time in --timezone"

    public static func parse(
        _ text: String,
        in zone: TimeZone,
        flag: String = "--after"
    ) throws(ScheduleError) -> Date {
        let bad = ScheduleError.usage("\(flag) \"\(text)\": not a date and time; use \(forms)")
        let characters = Array(text.trimmingCharacters(in: .whitespaces))
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= characters.count else { return nil }
            let slice = String(characters[index..<index + digits])
            guard slice.allSatisfy(\.isASCII), let value = Int(slice) else { return nil }
            index += digits
            return value
        }
        func take(_ character: Character) -> Bool {
            guard index < characters.count, characters[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), take("-"), let month = number(2), take("-"), let day = number(2),
            (1...12).contains(month), (1...LocalTime.daysIn(month: month, year: year)).contains(day)
        else { throw bad }
        var (hour, minute, second) = (0, 0, 0)
        if index < characters.count {
            guard take("T") || take("t") || take(" "), let h = number(2), take(":"), let m = number(2),
                h < 24, m < 60
            else { throw bad }
            (hour, minute) = (h, m)
            if take(":") {
                guard let s = number(2), s < 60 else { throw bad }
                second = s
                if take(".") { while number(1) != nil {} }
            }
        }
        let wall =
            LocalTime(year: year, month: month, day: day, hour: hour, minute: minute).wallSeconds
            + Int64(second)
        if index == characters.count {
            switch ZoneClock(zone: zone).resolve(wall: wall - Int64(second)) {
            case .unique(let instant), .repeated(let instant, _):
                return Date(timeIntervalSince1970: TimeInterval(instant + Int64(second)))
            case .skipped:
                throw .usage(
                    "\(flag) \"\(text)\": that time does not exist in \(zone.identifier) (clocks jump forward over it); give an offset"
                )
            }
        }
        var offset = 0
        if take("Z") || take("z") {
            offset = 0
        } else if index < characters.count, characters[index] == "+" || characters[index] == "-" {
            let sign = characters[index] == "-" ? -1 : 1
            index += 1
            guard let h = number(2), take(":"), let m = number(2), h < 24, m < 60 else { throw bad }
            offset = sign * (h * 3600 + m * 60)
        } else {
            throw bad
        }
        guard index == characters.count else { throw bad }
        return Date(timeIntervalSince1970: TimeInterval(wall - Int64(offset)))
    }
}
