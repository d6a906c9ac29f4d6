import ArgumentParser
import Foundation
import RefonteAPI
import RefonteScheduler

/// `refonte schedule next EXPR`: the fire times of any expression, computed by the scheduler's
/// own code.
struct ScheduleNext: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "Print the next fire times of a cron expression.",
        discussion: """
            The same computation the scheduler uses, daylight saving included: a fire time a \
            change moves or doubles is flagged with "!".

            Examples:
              refonte schedule next "0 2 * * *" --timezone Europe/Paris
              refonte schedule next "30 2 * * *" --timezone Europe/Paris --after 2025-03-29T12:00:00Z
              refonte schedule next "0 9 1-7 * mon" --count 3        # the 1st to the 7th, or Mondays
              refonte schedule next @hourly --output json
            """
    )

    @Argument(help: ArgumentHelp("A cron expression (5 fields, or @hourly, @daily, …).", valueName: "expr"))
    var expression: String

    @Option(
        help: ArgumentHelp(
            "The time zone to read it in (default: this machine's, \(TimeZoneName.local.identifier)).",
            valueName: "zone"
        )
    )
    var timezone: String?

    @Option(
        help: ArgumentHelp("Start after this time (default: now): \(InstantText.forms).", valueName: "time")
    )
    var after: String?

    @Option(help: "How many fire times (1 to 1000).")
    var count: Int = 5

    @Option(help: "text (default) or json.")
    var output: OutputFormat = .text

    func run() async throws {
        do {
            guard (1...1000).contains(count) else {
                throw ScheduleError(.usage, "--count \(count): expected 1 to 1000")
            }
            let cron: CronExpression
            do {
                cron = try CronExpression(expression)
            } catch {
                throw ScheduleError(.usage, error.description)
            }
            let zone = try timezone.map { try TimeZoneName.zone($0) } ?? TimeZoneName.local
            let start = try after.map { try InstantText.parse($0, in: zone) } ?? Date()
            let fires = CronSchedule(cron, timeZone: zone).fires(after: start, limit: count)
            switch output {
            case .json:
                print(JSONValue.array(fires.map { ScheduleDescription.fireJSON($0, zone: zone) }).jsonText)
            case .text:
                print("\(cron.source) in \(zone.identifier), after \(TimeText.format(start, in: zone)):")
                for fire in fires { print("  " + ScheduleDescription.fireLine(fire, zone: zone)) }
            }
        } catch {
            throw ScheduleCLI.fail("schedule next", error)
        }
    }
}
