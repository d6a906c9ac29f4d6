import ArgumentParser
import Foundation
import RefonteAPI
import RefonteScheduler
import RefonteScripting

/// `refonte schedule history NAME`.
struct ScheduleHistory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show a schedule's runs, newest first.",
        discussion: """
            Each run: its status (queued, running, succeeded, failed, interrupted, skipped, \
            missed), what triggered it (schedule, catch-up, manual), its fire time, when it \
            started and how long it took, refonte run's exit code, the API calls and writes it \
            made, why it was skipped or cut short, and where its stdout and stderr are kept \
            (HOST:FOLDER). `refonte scheduler --keep-runs` sets how many are kept.

            Examples:
              refonte schedule history nightly
              refonte schedule history nightly --limit 5 --output json
            """
    )

    @Argument(help: "The schedule's name.")
    var name: String

    @Option(help: "How many runs to show.")
    var limit: Int = 20

    @Option(help: "text (default) or json.")
    var output: OutputFormat = .text

    @OptionGroup var store: StoreFlags

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit \(limit): expected 1 or more") }
    }

    func run() async throws {
        try await ScheduleCLI.withStore(store, command: "schedule history") { store in
            let schedule = try await ScheduleCLI.schedule(name, in: store)
            let runs = try await store.runs(of: name, limit: limit)
            switch output {
            case .json:
                print(JSONValue.array(runs.map(ScheduleDescription.runJSON)).jsonText)
            case .text where runs.isEmpty:
                print("\(name) has no runs yet")
            case .text:
                let rows = runs.map { ScheduleDescription.runRow($0, zone: schedule.timeZone) }
                print(TextTable.render([ScheduleDescription.runHeader] + rows), terminator: "")
            }
        }
    }
}
