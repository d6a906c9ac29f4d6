import ArgumentParser
import Foundation
import RefonteAPI
import RefonteScheduler
import RefonteScripting

/// `refonte schedule list`.
struct ScheduleList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the schedules with their next fire and last run.",
        discussion: """
            Examples:
              refonte schedule list
              refonte schedule list --output json --store postgres://refonte@db/refonte
            """
    )

    @Option(help: "text (default) or json.")
    var output: OutputFormat = .text

    @OptionGroup var store: StoreFlags

    func run() async throws {
        try await ScheduleCLI.withStore(store, command: "schedule list") { store in
            let now = Date()
            var rows: [[String]] = []
            var objects: [JSONValue] = []
            let schedules = try await store.schedules().map(\.schedule)
            for schedule in schedules {
                let next = schedule.paused ? nil : schedule.cron.next(after: now)
                let last = try await store.runs(of: schedule.name, limit: 1).first
                rows.append([
                    schedule.name,
                    schedule.expression.source,
                    schedule.timeZone.identifier,
                    schedule.paused ? "paused" : "active",
                    next.map { TimeText.format($0.instant, in: schedule.timeZone) } ?? "-",
                    last.map { "#\($0.id) \($0.status.rawValue)" } ?? "-",
                ])
                objects.append(
                    .object([
                        "name": .string(schedule.name),
                        "cron": .string(schedule.expression.source),
                        "timezone": .string(schedule.timeZone.identifier),
                        "paused": .bool(schedule.paused),
                        "next_fire": next.map { .string(TimeText.iso($0.instant)) } ?? .null,
                        "last_run": last.map(ScheduleDescription.runJSON) ?? .null,
                    ])
                )
            }
            switch output {
            case .json:
                print(JSONValue.array(objects).jsonText)
            case .text where schedules.isEmpty:
                print("no schedules in \(store.location); add one with `refonte schedule add`")
            case .text:
                let header = ["NAME", "CRON", "TIME ZONE", "STATE", "NEXT FIRE", "LAST RUN"]
                print(TextTable.render([header] + rows), terminator: "")
            }
        }
    }
}
