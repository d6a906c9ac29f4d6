import ArgumentParser
import Foundation
import Logging
import Quantities
import RefonteAPI
import RefonteScheduler
import RefonteScripting

/// `--store`, shared by every schedule command and the scheduler.
struct StoreFlags: ParsableArguments {
    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "Where schedules and their history live: a SQLite file, or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE "
                + "for schedulers on several hosts (default: $REFONTE_SCHEDULER_STORE, else "
                + "$XDG_DATA_HOME/refonte/scheduler.sqlite).",
            valueName: "store"
        )
    )
    var store: String?

    func location() throws(ScheduleError) -> StoreLocation {
        try StoreLocation.parse(store)
    }
}

/// `--output text|json`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// How the schedule commands report: errors on standard error prefixed with the command, exit
/// 2 for bad input or an unknown schedule, 1 when the store fails.
enum ScheduleCLI {
    static func fail(_ command: String, _ error: any Error) -> ExitCode {
        if let error = error as? ExitCode { return error }
        let scheduleError = error as? ScheduleError
        printError("refonte \(command): \(scheduleError?.message ?? "\(error)")")
        switch scheduleError?.kind {
        case .usage, .notFound: return ExitCode(2)
        default: return ExitCode(1)
        }
    }

    /// Opens the store, runs `body`, closes the store; errors become messages and exit codes.
    static func withStore<T>(
        _ flags: StoreFlags,
        command: String,
        _ body: (any ScheduleStore) async throws -> T
    ) async throws -> T {
        let store: any ScheduleStore
        do {
            store = try await flags.location().open(logger: Logger(label: "refonte.schedule"))
        } catch {
            throw fail(command, error)
        }
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw fail(command, error)
        }
    }

    /// The schedule named `name`, or a not-found error with a did-you-mean.
    static func schedule(_ name: String, in store: any ScheduleStore) async throws -> Schedule {
        if let schedule = try await store.schedule(named: name) { return schedule }
        let names = try await store.schedules().map(\.schedule.name)
        throw ScheduleError.notFound(name, among: names, in: store.location)
    }

    /// A duration option: `DurationText` forms, or 0 where `zero` allows it.
    static func duration(_ text: String, flag: String, allowZero: Bool = false) throws -> Duration {
        if allowZero, ["0", "0s", "0ms"].contains(text.trimmingCharacters(in: .whitespaces)) { return .zero }
        guard let duration = DurationText.parse(text) else {
            throw ScheduleError(
                .usage,
                "\(flag): '\(text)' is not a duration; use \(DurationText.forms)"
            )
        }
        return duration
    }
}

extension ScheduleError {
    static func notFound(_ name: String, among names: [String], in location: String) -> ScheduleError {
        let hint = Suggestion.closest(to: name, in: names).map { " (did you mean \($0)?)" } ?? ""
        let known = names.isEmpty ? "it has none" : "it has \(names.joined(separator: ", "))"
        return ScheduleError(.notFound, "no schedule named \(name)\(hint) in \(location); \(known)")
    }
}

/// The running `refonte` binary, for the scheduler's child runs and exported units.
enum CurrentExecutable {
    static var path: String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        let first = CommandLine.arguments.first ?? "refonte"
        if first.hasPrefix("/") { return first }
        if first.contains("/") { return FileManager.default.currentDirectoryPath + "/" + first }
        return first
    }
}
