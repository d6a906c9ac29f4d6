import Foundation

/// One time a schedule fires: the instant it runs, the wall time it stands for, and a note when
/// a daylight-saving change moved or doubled it.
public struct FireTime: Sendable, Hashable {
    /// When the run starts; also the run's identity within its schedule (its nominal time).
    public var instant: Date
    /// The wall-clock time the expression chose, in the schedule's zone. For a fire moved out of
    /// a skipped hour this is the skipped time (02:30), not the time it runs (03:00).
    public var scheduled: LocalTime
    public var daylightSaving: DaylightSavingNote?

    public init(instant: Date, scheduled: LocalTime, daylightSaving: DaylightSavingNote? = nil) {
        self.instant = instant
        self.scheduled = scheduled
        self.daylightSaving = daylightSaving
    }
}

/// How a daylight-saving change affected a fire time. The rule is cron's (Vixie cron, cronie):
/// a schedule with a fixed minute and hour runs once per chosen time; one whose minute or hour
/// field begins with `*` fires by the clock's passing.
public enum DaylightSavingNote: Sendable, Hashable {
    /// The chosen time did not exist (clocks jumped forward over it): a fixed-time schedule runs
    /// once, as the gap ends. Several chosen times in one gap make that one run.
    case movedOutOfGap
    /// The chosen time happened twice (clocks went back): a fixed-time schedule runs only the
    /// first time.
    case firstOfRepeated
    /// The chosen time happened twice and the schedule fires by elapsed time: it runs at both;
    /// this is pass 1 (summer time) or 2.
    case repeated(pass: Int)

    /// A sentence for `schedule show` and `schedule next`.
    public func explanation(scheduled: LocalTime) -> String {
        switch self {
        case .movedOutOfGap:
            "\(scheduled.timeText) does not exist that day (clocks jump forward); runs once when the gap ends"
        case .firstOfRepeated:
            "\(scheduled.timeText) happens twice that day (clocks go back); runs once, the first time"
        case .repeated(let pass):
            "\(scheduled.timeText) happens twice that day (clocks go back); this schedule fires by elapsed time, so it runs both times (this is the \(pass == 1 ? "first" : "second"))"
        }
    }

    /// A short tag for JSON output.
    public var tag: String {
        switch self {
        case .movedOutOfGap: "moved-out-of-gap"
        case .firstOfRepeated: "first-of-repeated"
        case .repeated(let pass): pass == 1 ? "repeated-first" : "repeated-second"
        }
    }
}
