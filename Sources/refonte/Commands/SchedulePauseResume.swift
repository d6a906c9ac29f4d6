import ArgumentParser
import Foundation
import RefonteScheduler

/// `refonte schedule pause NAME`.
struct SchedulePause: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause a schedule: no fire runs until it is resumed (running runs go on).",
        discussion: "Example:\n  refonte schedule pause nightly"
    )

    @Argument(help: "The schedule's name.")
    var name: String

    @OptionGroup var store: StoreFlags

    func run() async throws {
        try await ScheduleCLI.withStore(store, command: "schedule pause") { store in
            guard try await store.setPaused(name, true, now: Date()) else {
                _ = try await ScheduleCLI.schedule(name, in: store)
                return
            }
            print("paused \(name)")
        }
    }
}

/// `refonte schedule resume NAME`.
struct ScheduleResume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Resume a paused schedule from now on (fires during the pause are not caught up).",
        discussion: "Example:\n  refonte schedule resume nightly"
    )

    @Argument(help: "The schedule's name.")
    var name: String

    @OptionGroup var store: StoreFlags

    func run() async throws {
        try await ScheduleCLI.withStore(store, command: "schedule resume") { store in
            let now = Date()
            guard try await store.setPaused(name, false, now: now) else {
                _ = try await ScheduleCLI.schedule(name, in: store)
                return
            }
            let schedule = try await ScheduleCLI.schedule(name, in: store)
            let next = schedule.cron.next(after: now).map {
                " (next fire \(TimeText.format($0.instant, in: schedule.timeZone)))"
            }
            print("resumed \(name)\(next ?? "")")
        }
    }
}

/// `refonte schedule remove NAME`.
struct ScheduleRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a schedule and its history.",
        discussion: """
            A run still going is stopped by its scheduler at its next lease renewal (--poll), \
            and the schedulers delete the schedule's run output on their hosts.

            Example:
              refonte schedule remove nightly
            """
    )

    @Argument(help: "The schedule's name.")
    var name: String

    @OptionGroup var store: StoreFlags

    func run() async throws {
        try await ScheduleCLI.withStore(store, command: "schedule remove") { store in
            guard try await store.remove(name) else {
                _ = try await ScheduleCLI.schedule(name, in: store)
                return
            }
            print("removed \(name) and its history")
        }
    }
}

/// `refonte schedule run-now NAME`.
struct ScheduleRunNow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-now",
        abstract: "Queue a run of a schedule now; a running `refonte scheduler` starts it.",
        discussion: """
            The run follows the schedule's overlap policy: with forbid or replace it waits for a \
            run in progress to end; with allow it starts at once. A scheduler notices it within \
            its --poll interval (5s by default).

            Example:
              refonte schedule run-now nightly && refonte schedule history nightly
            """
    )

    @Argument(help: "The schedule's name.")
    var name: String

    @OptionGroup var store: StoreFlags

    func run() async throws {
        try await ScheduleCLI.withStore(store, command: "schedule run-now") { store in
            guard let id = try await store.enqueueManualRun(name, now: Date()) else {
                _ = try await ScheduleCLI.schedule(name, in: store)
                return
            }
            print("queued run #\(id) of \(name); `refonte schedule history \(name)` follows it")
        }
    }
}
