import ArgumentParser
import Foundation
import RefonteAPI
import RefonteScheduler
import RefonteScripting

/// `refonte schedule show NAME`.
struct ScheduleShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a schedule, its next 5 fire times (local and UTC) and its last runs.",
        discussion: """
            A fire time that a daylight-saving change moves or doubles is flagged with "!" and \
            what happens: a time the clocks skip runs once when the gap ends, a time they repeat \
            runs once (the first), and schedules that fire by elapsed time (minute or hour \
            field beginning with *) run in both passes of a repeated hour.

            Examples:
              refonte schedule show nightly
              refonte schedule show nightly --output json
            """
    )

    @Argument(help: "The schedule's name.")
    var name: String

    @Option(help: "text (default) or json.")
    var output: OutputFormat = .text

    @OptionGroup var store: StoreFlags

    func run() async throws {
        try await ScheduleCLI.withStore(store, command: "schedule show") { store in
            let schedule = try await ScheduleCLI.schedule(name, in: store)
            let runs = try await store.runs(of: name, limit: 3)
            let now = Date()
            switch output {
            case .json:
                guard case .object(var object) = ScheduleDescription.json(schedule, fireCount: 5, now: now)
                else { return }
                object["last_runs"] = .array(runs.map(ScheduleDescription.runJSON))
                print(JSONValue.object(object).jsonText)
            case .text:
                print("schedule \(schedule.name) in \(store.location)")
                print(ScheduleDescription.text(schedule, fireCount: 5, now: now))
                print(runs.isEmpty ? "no runs yet" : "last runs:")
                if !runs.isEmpty {
                    let rows = runs.map { ScheduleDescription.runRow($0, zone: schedule.timeZone) }
                    print(
                        TextTable.render([ScheduleDescription.runHeader] + rows, indent: "  "),
                        terminator: ""
                    )
                }
            }
        }
    }
}
