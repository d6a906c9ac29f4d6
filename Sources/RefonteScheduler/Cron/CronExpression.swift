/// A parsed cron expression: five fields (`30 2 * * mon-fri`) or a macro (`@daily`).
///
/// It follows cron (Vixie cron, cronie): ranges, steps, lists, three-letter names, 0 and 7 both
/// Sunday, and the rule that day of month and day of week OR together when both are restricted.
/// As in cron, a field counts as unrestricted for that rule when it begins with `*`, so
/// `*/2 * mon` means "odd days that are Mondays". When it fires in a given time zone, across
/// daylight-saving changes included, is `CronSchedule`'s business.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public internal(set) var source: String
    let minutes: CronValueSet
    let hours: CronValueSet
    let daysOfMonth: CronValueSet
    let months: CronValueSet
    /// 0 (Sunday) to 6; a 7 in the expression is stored as 0.
    let daysOfWeek: CronValueSet
    /// cron's DOM_STAR and DOW_STAR: the field begins with `*`.
    let dayOfMonthStar: Bool
    let dayOfWeekStar: Bool
    /// cron's MIN_STAR|HR_STAR: the minute or hour field begins with `*`. Such a schedule fires by
    /// the clock's passing, not at a time of day, so a daylight-saving change treats it apart
    /// (`CronSchedule` says how).
    public let firesByElapsedTime: Bool

    public init(_ text: String) throws(CronSyntaxError) {
        self = try CronParser.parse(text)
    }

    init(
        source: String,
        fields: [CronValueSet],
        stars: [Bool]
    ) {
        self.source = source
        minutes = fields[0]
        hours = fields[1]
        daysOfMonth = fields[2]
        months = fields[3]
        var week = fields[4]
        if week.contains(7) {
            week.remove(7)
            week.insert(0)
        }
        daysOfWeek = week
        dayOfMonthStar = stars[2]
        dayOfWeekStar = stars[4]
        firesByElapsedTime = stars[0] || stars[1]
    }

    public var description: String { source }

    /// Whether the expression fires on this calendar day (weekday 0 is Sunday).
    func matchesDay(month: Int, day: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        let byMonthDay = daysOfMonth.contains(day)
        let byWeekDay = daysOfWeek.contains(weekday)
        return dayOfMonthStar || dayOfWeekStar ? byMonthDay && byWeekDay : byMonthDay || byWeekDay
    }
}

/// A set of small numbers (0...63) as a bit mask.
struct CronValueSet: Sendable, Hashable {
    private(set) var bits: UInt64 = 0

    func contains(_ value: Int) -> Bool { value >= 0 && value < 64 && bits & (1 << UInt64(value)) != 0 }
    mutating func insert(_ value: Int) { bits |= 1 << UInt64(value) }
    mutating func remove(_ value: Int) { bits &= ~(1 << UInt64(value)) }
    var isEmpty: Bool { bits == 0 }

    /// The members in ascending order.
    var values: [Int] { (0..<64).filter(contains) }
}
