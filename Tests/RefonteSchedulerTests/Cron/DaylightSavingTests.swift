import Foundation
import RefonteScheduler
import Testing

/// Fire times across daylight-saving changes, by cron's rule: a fixed time the clocks skip runs
/// once as the gap ends; a fixed time they repeat runs once, the first time; a schedule whose
/// minute or hour begins with `*` fires by elapsed time.
@Suite("Daylight saving")
struct DaylightSavingTests {
    struct Fire: Equatable, CustomStringConvertible {
        var utc: String
        var note: DaylightSavingNote?
        var description: String { "\(utc)\(note.map { " \($0.tag)" } ?? "")" }
    }

    static func fires(_ expression: String, _ zone: String, after: String, count: Int) throws -> [Fire] {
        let schedule = CronSchedule(try CronExpression(expression), timeZone: try TimeZoneName.zone(zone))
        return schedule.fires(after: utc(after), limit: count).map {
            Fire(utc: TimeText.iso($0.instant), note: $0.daylightSaving)
        }
    }

    // MARK: Europe/Paris, spring: 2025-03-30 02:00 CET becomes 03:00 CEST (01:00 UTC).

    @Test func parisSpringAFixedTimeInTheGapRunsOnceAsTheGapEnds() throws {
        #expect(
            try Self.fires("30 2 * * *", "Europe/Paris", after: "2025-03-29T12:00:00Z", count: 2) == [
                Fire(utc: "2025-03-30T01:00:00Z", note: .movedOutOfGap),  // 03:00 CEST
                Fire(utc: "2025-03-31T00:30:00Z", note: nil),  // 02:30 CEST
            ]
        )
        // Two chosen times in the gap make one run.
        #expect(
            try Self.fires("0,30 2 * * *", "Europe/Paris", after: "2025-03-29T12:00:00Z", count: 3) == [
                Fire(utc: "2025-03-30T01:00:00Z", note: .movedOutOfGap),
                Fire(utc: "2025-03-31T00:00:00Z", note: nil),
                Fire(utc: "2025-03-31T00:30:00Z", note: nil),
            ]
        )
        let shown = try #require(
            CronSchedule(try CronExpression("30 2 * * *"), timeZone: try TimeZoneName.zone("Europe/Paris"))
                .next(after: utc("2025-03-29T12:00:00Z"))
        )
        #expect(shown.scheduled.description == "2025-03-30 02:30")
        #expect(
            TimeText.format(shown.instant, in: try TimeZoneName.zone("Europe/Paris")).hasPrefix(
                "2025-03-30 03:00"
            )
        )
    }

    @Test func parisSpringAScheduleByElapsedTimeSkipsWhatTheGapSkips() throws {
        #expect(
            try Self.fires("*/30 * * * *", "Europe/Paris", after: "2025-03-30T00:00:00Z", count: 3) == [
                Fire(utc: "2025-03-30T00:30:00Z", note: nil),  // 01:30 CET
                Fire(utc: "2025-03-30T01:00:00Z", note: nil),  // 03:00 CEST
                Fire(utc: "2025-03-30T01:30:00Z", note: nil),  // 03:30 CEST
            ]
        )
    }

    // MARK: Europe/Paris, autumn: 2025-10-26 03:00 CEST becomes 02:00 CET (01:00 UTC).

    @Test func parisAutumnAFixedTimeInTheRepeatedHourRunsOnceTheFirstTime() throws {
        #expect(
            try Self.fires("30 2 * * *", "Europe/Paris", after: "2025-10-25T12:00:00Z", count: 2) == [
                Fire(utc: "2025-10-26T00:30:00Z", note: .firstOfRepeated),  // 02:30 CEST
                Fire(utc: "2025-10-27T01:30:00Z", note: nil),  // 02:30 CET
            ]
        )
    }

    @Test func parisAutumnAScheduleByElapsedTimeRunsInBothPasses() throws {
        #expect(
            try Self.fires("*/30 * * * *", "Europe/Paris", after: "2025-10-25T23:45:00Z", count: 5) == [
                Fire(utc: "2025-10-26T00:00:00Z", note: .repeated(pass: 1)),  // 02:00 CEST
                Fire(utc: "2025-10-26T00:30:00Z", note: .repeated(pass: 1)),  // 02:30 CEST
                Fire(utc: "2025-10-26T01:00:00Z", note: .repeated(pass: 2)),  // 02:00 CET
                Fire(utc: "2025-10-26T01:30:00Z", note: .repeated(pass: 2)),  // 02:30 CET
                Fire(utc: "2025-10-26T02:00:00Z", note: nil),  // 03:00 CET
            ]
        )
        #expect(
            try Self.fires("@hourly", "Europe/Paris", after: "2025-10-25T23:30:00Z", count: 3) == [
                Fire(utc: "2025-10-26T00:00:00Z", note: .repeated(pass: 1)),
                Fire(utc: "2025-10-26T01:00:00Z", note: .repeated(pass: 2)),
                Fire(utc: "2025-10-26T02:00:00Z", note: nil),
            ]
        )
    }

    // MARK: Southern hemisphere.

    /// Australia/Sydney: 2025-04-06 03:00 AEDT becomes 02:00 AEST (16:00 UTC the day before);
    /// 2025-10-05 02:00 AEST becomes 03:00 AEDT (16:00 UTC the day before).
    @Test func sydneyInAprilAndOctober() throws {
        #expect(
            try Self.fires("30 2 * * *", "Australia/Sydney", after: "2025-04-05T00:00:00Z", count: 2) == [
                Fire(utc: "2025-04-05T15:30:00Z", note: .firstOfRepeated),  // 02:30 AEDT
                Fire(utc: "2025-04-06T16:30:00Z", note: nil),  // 02:30 AEST
            ]
        )
        #expect(
            try Self.fires("30 2 * * *", "Australia/Sydney", after: "2025-10-04T00:00:00Z", count: 2) == [
                Fire(utc: "2025-10-04T16:00:00Z", note: .movedOutOfGap),  // 03:00 AEDT
                Fire(utc: "2025-10-05T15:30:00Z", note: nil),  // 02:30 AEDT
            ]
        )
    }

    /// America/Santiago changes at midnight: 2025-04-06 00:00 -03 becomes 2025-04-05 23:00 -04
    /// (03:00 UTC), and 2025-09-07 00:00 -04 becomes 01:00 -03 (04:00 UTC).
    @Test func santiagoAtMidnight() throws {
        #expect(
            try Self.fires("30 23 * * *", "America/Santiago", after: "2025-04-05T12:00:00Z", count: 2) == [
                Fire(utc: "2025-04-06T02:30:00Z", note: .firstOfRepeated),  // 23:30 -03
                Fire(utc: "2025-04-07T03:30:00Z", note: nil),  // 23:30 -04
            ]
        )
        #expect(
            try Self.fires("0 0 * * *", "America/Santiago", after: "2025-09-06T12:00:00Z", count: 2) == [
                Fire(utc: "2025-09-07T04:00:00Z", note: .movedOutOfGap),  // 01:00 -03
                Fire(utc: "2025-09-08T03:00:00Z", note: nil),  // 00:00 -03
            ]
        )
    }
}
