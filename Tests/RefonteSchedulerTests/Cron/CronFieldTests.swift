import Foundation
import RefonteScheduler
import Testing

/// Every form a field takes, checked by the fire times it gives (in UTC, so no daylight saving).
@Suite("Cron fields")
struct CronFieldTests {
    /// Wednesday, 1 January 2025, midnight UTC.
    static let start = utc("2025-01-01T00:00:00Z")

    static func fires(_ expression: String, after start: Date = start, count: Int) throws -> [String] {
        let schedule = CronSchedule(try CronExpression(expression), timeZone: .gmt)
        return schedule.fires(after: start, limit: count).map { TimeText.iso($0.instant) }
    }

    @Test func stepsOverStarAndOverRanges() throws {
        #expect(
            try Self.fires("*/15 9-10 * * *", count: 9) == [
                "2025-01-01T09:00:00Z", "2025-01-01T09:15:00Z", "2025-01-01T09:30:00Z",
                "2025-01-01T09:45:00Z",
                "2025-01-01T10:00:00Z", "2025-01-01T10:15:00Z", "2025-01-01T10:30:00Z",
                "2025-01-01T10:45:00Z",
                "2025-01-02T09:00:00Z",
            ]
        )
        #expect(
            try Self.fires("0 8-18/4 * * *", count: 4) == [
                "2025-01-01T08:00:00Z", "2025-01-01T12:00:00Z", "2025-01-01T16:00:00Z",
                "2025-01-02T08:00:00Z",
            ]
        )
    }

    @Test func listsMixValuesRangesAndSteps() throws {
        #expect(
            try Self.fires("5,10-12,50-59/5 * * * *", count: 7) == [
                "2025-01-01T00:05:00Z", "2025-01-01T00:10:00Z", "2025-01-01T00:11:00Z",
                "2025-01-01T00:12:00Z",
                "2025-01-01T00:50:00Z", "2025-01-01T00:55:00Z", "2025-01-01T01:05:00Z",
            ]
        )
    }

    @Test func monthNamesInAnyCase() throws {
        #expect(
            try Self.fires("0 0 1 Feb,APR *", count: 3) == [
                "2025-02-01T00:00:00Z", "2025-04-01T00:00:00Z", "2026-02-01T00:00:00Z",
            ]
        )
        #expect(try Self.fires("0 0 1 feb-apr *", count: 3) == Self.fires("0 0 1 2-4 *", count: 3))
    }

    @Test func weekdayNamesRangesAndSundayAsSeven() throws {
        #expect(
            try Self.fires("30 7 * * mon-fri", count: 4) == [
                "2025-01-01T07:30:00Z", "2025-01-02T07:30:00Z", "2025-01-03T07:30:00Z",
                "2025-01-06T07:30:00Z",
            ]
        )
        #expect(try Self.fires("0 0 * * 7", count: 2) == ["2025-01-05T00:00:00Z", "2025-01-12T00:00:00Z"])
        #expect(try Self.fires("0 0 * * 7", count: 5) == Self.fires("0 0 * * sun", count: 5))
        // A range ending on Sunday, as cron reads it.
        #expect(
            try Self.fires("0 0 * * fri-sun", count: 4) == [
                "2025-01-03T00:00:00Z", "2025-01-04T00:00:00Z", "2025-01-05T00:00:00Z",
                "2025-01-10T00:00:00Z",
            ]
        )
    }

    @Test func dayOfMonthAndDayOfWeekOrTogetherWhenBothRestricted() throws {
        // The 13th, or any Friday.
        #expect(
            try Self.fires("0 0 13 * fri", count: 4) == [
                "2025-01-03T00:00:00Z", "2025-01-10T00:00:00Z", "2025-01-13T00:00:00Z",
                "2025-01-17T00:00:00Z",
            ]
        )
        // One field unrestricted: the other alone decides.
        #expect(try Self.fires("0 0 13 * *", count: 2) == ["2025-01-13T00:00:00Z", "2025-02-13T00:00:00Z"])
    }

    @Test func aDayFieldBeginningWithStarAndsAsInCron() throws {
        // cron treats `*/10` as unrestricted for the OR rule: days 1, 11, 21, 31 that are Mondays.
        #expect(
            try Self.fires("0 0 */10 * mon", count: 2) == ["2025-03-31T00:00:00Z", "2025-04-21T00:00:00Z"]
        )
        // The same days written as a range OR with Mondays.
        #expect(
            try Self.fires("0 0 1-31/10 * mon", count: 3) == [
                "2025-01-06T00:00:00Z", "2025-01-11T00:00:00Z", "2025-01-13T00:00:00Z",
            ]
        )
    }

    @Test(arguments: [
        ("@hourly", ["2025-01-01T01:00:00Z", "2025-01-01T02:00:00Z"]),
        ("@daily", ["2025-01-02T00:00:00Z", "2025-01-03T00:00:00Z"]),
        ("@midnight", ["2025-01-02T00:00:00Z", "2025-01-03T00:00:00Z"]),
        ("@weekly", ["2025-01-05T00:00:00Z", "2025-01-12T00:00:00Z"]),
        ("@monthly", ["2025-02-01T00:00:00Z", "2025-03-01T00:00:00Z"]),
        ("@yearly", ["2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"]),
        ("@annually", ["2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"]),
    ])
    func macros(_ macro: String, _ expected: [String]) throws {
        #expect(try Self.fires(macro, count: 2) == expected)
        #expect(try CronExpression(macro).source == macro)
    }

    @Test func rareDays() throws {
        #expect(try Self.fires("0 12 29 2 *", count: 2) == ["2028-02-29T12:00:00Z", "2032-02-29T12:00:00Z"])
        #expect(
            try Self.fires("0 0 31 * *", count: 3) == [
                "2025-01-31T00:00:00Z", "2025-03-31T00:00:00Z", "2025-05-31T00:00:00Z",
            ]
        )
    }

    @Test func firesAreStrictlyAfterTheStartAndStopAtTheEnd() throws {
        let schedule = CronSchedule(try CronExpression("*/10 * * * *"), timeZone: .gmt)
        let fires = schedule.fires(after: utc("2025-01-01T00:10:00Z"), through: utc("2025-01-01T00:40:00Z"))
        #expect(
            fires.map { TimeText.iso($0.instant) } == [
                "2025-01-01T00:20:00Z", "2025-01-01T00:30:00Z", "2025-01-01T00:40:00Z",
            ]
        )
    }
}
