/// The five fields of a cron expression, in order, with the values each one takes.
public enum CronField: Int, CaseIterable, Sendable {
    case minute, hour, dayOfMonth, month, dayOfWeek

    /// The name an error message uses.
    public var name: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day of month"
        case .month: "month"
        case .dayOfWeek: "day of week"
        }
    }

    /// The values a number may take. Day of week takes 7 as Sunday too, as cron does.
    var bounds: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// Three-letter names, case-insensitive, as cron reads them.
    var names: [String: Int] {
        switch self {
        case .month:
            Dictionary(
                uniqueKeysWithValues: [
                    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
                ]
                .enumerated().map { ($1, $0 + 1) }
            )
        case .dayOfWeek:
            Dictionary(
                uniqueKeysWithValues: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"].enumerated().map {
                    ($1, $0)
                }
            )
        default: [:]
        }
    }

    /// What the field takes, for error messages and help.
    var takes: String {
        switch self {
        case .minute: "0-59"
        case .hour: "0-23"
        case .dayOfMonth: "1-31"
        case .month: "1-12 or jan-dec"
        case .dayOfWeek: "0-7 (0 and 7 are Sunday) or sun-sat"
        }
    }

    /// What every field takes besides single values.
    static let forms = "*, ranges (1-5), lists (1,3,5) and steps (*/15, 8-18/2)"

    /// The fields as a cron line names them, for "expected 5 fields" messages.
    static let layout = "minute hour day-of-month month day-of-week"
}
