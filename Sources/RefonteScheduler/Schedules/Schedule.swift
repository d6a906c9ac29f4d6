import Foundation

/// A named cron schedule of a script, with its policies.
public struct Schedule: Sendable, Hashable {
    public var name: String
    public var expression: CronExpression
    public var timeZone: TimeZone
    public var invocation: RunInvocation
    public var overlap: OverlapPolicy
    public var catchUp: CatchUpPolicy
    /// How far back `catchUp` reaches; older missed fires are recorded `missed`.
    public var catchUpWindow: Duration
    public var paused: Bool
    public var createdAt: Date

    public static let defaultCatchUpWindow = Duration.seconds(6 * 3600)

    public init(
        name: String,
        expression: CronExpression,
        timeZone: TimeZone,
        invocation: RunInvocation,
        overlap: OverlapPolicy = .forbid,
        catchUp: CatchUpPolicy = .none,
        catchUpWindow: Duration = Schedule.defaultCatchUpWindow,
        paused: Bool = false,
        createdAt: Date
    ) {
        self.name = name
        self.expression = expression
        self.timeZone = timeZone
        self.invocation = invocation
        self.overlap = overlap
        self.catchUp = catchUp
        self.catchUpWindow = catchUpWindow
        self.paused = paused
        self.createdAt = createdAt
    }

    /// The fire times: the one computation `schedule next`, `show` and the scheduler share.
    public var cron: CronSchedule { CronSchedule(expression, timeZone: timeZone) }
}
