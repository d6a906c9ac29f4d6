import RefonteScheduler
import Testing

/// A bad expression gets an error that names the field, says what it takes, and puts a caret
/// under the bad part.
@Suite("Cron errors")
struct CronErrorTests {
    static func error(_ expression: String) -> CronSyntaxError? {
        do {
            _ = try CronExpression(expression)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        // expression, field, words in the reason, caret column, caret length
        ("0 25 * * *", CronField.hour, "25 is out of range; hour takes 0-23", 2, 2),
        ("60 * * * *", .minute, "60 is out of range; minute takes 0-59", 0, 2),
        ("0 0 0 * *", .dayOfMonth, "0 is out of range; day of month takes 1-31", 4, 1),
        ("0 0 * 13 *", .month, "13 is out of range; month takes 1-12 or jan-dec", 6, 2),
        ("0 0 * * 8", .dayOfWeek, "8 is out of range; day of week takes 0-7", 8, 1),
        ("0 0 * foo *", .month, "\"foo\" is not a month", 6, 3),
        ("0 0 * * monday", .dayOfWeek, "cron takes three-letter names; write mon", 8, 6),
        ("0 0 * * mun", .dayOfWeek, "did you mean mon?", 8, 3),
        ("x * * * *", .minute, "\"x\" is not a number", 0, 1),
        ("5/15 * * * *", .minute, "a step needs a range or * before it: write 5-59/15 or */15", 0, 4),
        ("*/0 * * * *", .minute, "a step must be 1 or more", 2, 1),
        ("*/90 * * * *", .minute, "the step 90 is larger than the range 0-59", 2, 2),
        ("0 22-2 * * *", .hour, "the range 22-2 runs backwards; write 22-23,0-2", 2, 4),
        ("1,,2 * * * *", .minute, "an empty item in the list", 2, 1),
        ("0 0 30 feb *", .dayOfMonth, "no chosen day of month exists in feb", 4, 2),
    ])
    func fieldErrors(expression: String, field: CronField, reason: String, column: Int, length: Int) throws {
        let error = try #require(Self.error(expression))
        #expect(error.field == field, "\(error)")
        #expect(error.reason.contains(reason), "\(error.reason)")
        #expect(error.column == column && error.length == length, "\(error)")
        let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix("\(field.name): ") == true)
        #expect(lines[1] == "  \(expression)")
        #expect(
            lines[2] == "  " + String(repeating: " ", count: column) + String(repeating: "^", count: length)
        )
    }

    @Test func theWholeExpression() throws {
        let short = try #require(Self.error("* * * *"))
        #expect(short.field == nil)
        #expect(
            short.reason.contains("expected 5 fields (minute hour day-of-month month day-of-week), got 4")
        )
        #expect(short.reason.contains("the day of week field is missing"))
        #expect(short.column == 7)

        let long = try #require(Self.error("0 0 * * * 2025"))
        #expect(long.reason.contains("got 6; cron has no field for seconds or years"))
        #expect(long.column == 10 && long.length == 4)

        let empty = try #require(Self.error(""))
        #expect(empty.reason.contains("empty expression"))

        let macro = try #require(Self.error("@hourlyy"))
        #expect(macro.reason.contains("unknown macro @hourlyy (did you mean @hourly?)"))
        #expect(macro.column == 0 && macro.length == 8)

        let reboot = try #require(Self.error("@reboot"))
        #expect(reboot.reason.contains("@reboot is not supported"))

        let trailing = try #require(Self.error("@daily 5"))
        #expect(trailing.reason.contains("nothing may follow it") && trailing.column == 7)
    }
}
