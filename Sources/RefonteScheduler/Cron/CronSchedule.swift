import Foundation

/// A cron expression in a time zone: the fire times, computed the same way for
/// `refonte schedule next`, `schedule show` and the scheduler itself.
///
/// Daylight saving follows cron (Vixie cron, cronie):
/// - a fixed-time schedule (minute and hour fields that do not begin with `*`) whose time falls in
///   an hour the clocks skip runs once, as the gap ends (02:30 runs at 03:00);
/// - a fixed-time schedule whose time happens twice, as the clocks go back, runs the first time;
/// - a schedule whose minute or hour field begins with `*` (`*/15 * * * *`, `@hourly`) fires by
///   the clock's passing: it skips what the gap skips and runs in both passes of a repeated hour.
public struct CronSchedule: Sendable {
    public let expression: CronExpression
    public let timeZone: TimeZone

    public init(_ expression: CronExpression, timeZone: TimeZone) {
        self.expression = expression
        self.timeZone = timeZone
    }

    /// How far ahead to look for one fire: far enough for `0 0 29 2 *` across 2100.
    static let searchDays: Int64 = 8 * 366 + 2

    /// The first fire strictly after `instant`.
    public func next(after instant: Date) -> FireTime? {
        fires(after: instant, limit: 1).first
    }

    /// Fire times strictly after `start` and, when `end` is given, no later than it; at most
    /// `limit` of them, earliest first.
    public func fires(after start: Date, through end: Date? = nil, limit: Int = .max) -> [FireTime] {
        guard limit > 0 else { return [] }
        let clock = ZoneClock(zone: timeZone)
        let startSeconds = Int64(start.timeIntervalSince1970.rounded(.down))
        let endSeconds = end.map { Int64($0.timeIntervalSince1970.rounded(.down)) }
        // A day's fires can map to instants a little before or after the day's own span, so
        // start a day early and finish a day late.
        let firstDay = LocalTime(start, in: timeZone).days - 1
        let lastDay =
            endSeconds.map { LocalTime(wallSeconds: $0 + clock.offset(at: $0)).days + 1 }
            ?? firstDay + Self.searchDays
        var found: [FireTime] = []
        var day = firstDay
        while day <= lastDay {
            for fire in fires(onDay: day, clock: clock) {
                let seconds = Int64(fire.instant.timeIntervalSince1970)
                guard seconds > startSeconds else { continue }
                if let endSeconds, seconds > endSeconds { return found }
                if let last = found.last, last.instant == fire.instant { continue }
                found.append(fire)
                if found.count == limit { return found }
            }
            day += 1
        }
        return found
    }

    /// The fires of one local day, in the order they run.
    private func fires(onDay day: Int64, clock: ZoneClock) -> [FireTime] {
        let (year, month, dayOfMonth) = LocalTime.civil(fromDays: day)
        let weekday = Int((day + 4).floorModulo(7))
        guard expression.matchesDay(month: month, day: dayOfMonth, weekday: weekday) else { return [] }
        var fires: [FireTime] = []
        let constantOffset = clock.constantOffset(forDay: day)
        for hour in expression.hours.values {
            for minute in expression.minutes.values {
                let local = LocalTime(year: year, month: month, day: dayOfMonth, hour: hour, minute: minute)
                func fire(_ seconds: Int64, _ note: DaylightSavingNote?) {
                    fires.append(
                        FireTime(
                            instant: Date(timeIntervalSince1970: TimeInterval(seconds)),
                            scheduled: local,
                            daylightSaving: note
                        )
                    )
                }
                if let constantOffset {
                    fire(local.wallSeconds - constantOffset, nil)
                    continue
                }
                switch clock.resolve(wall: local.wallSeconds) {
                case .unique(let instant):
                    fire(instant, nil)
                case .repeated(let first, let second):
                    if expression.firesByElapsedTime {
                        fire(first, .repeated(pass: 1))
                        fire(second, .repeated(pass: 2))
                    } else {
                        fire(first, .firstOfRepeated)
                    }
                case .skipped(let gapEnd):
                    if !expression.firesByElapsedTime { fire(gapEnd, .movedOutOfGap) }
                }
            }
        }
        // Stable: a fire moved out of a gap stays ahead of a regular fire at the same instant,
        // which it then stands for.
        return fires.enumerated().sorted { ($0.element.instant, $0.offset) < ($1.element.instant, $1.offset) }
            .map(\.element)
    }
}
