import ArgumentParser
import Foundation
import Logging
import RefonteScheduler
import ServiceLifecycle
import UnixSignals

/// `refonte scheduler`: runs the schedules in the foreground until SIGTERM or Ctrl-C.
struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Run the schedules: a long-running service for systemd or a container.",
        discussion: """
            Each due fire starts `refonte run` as a child process with the schedule's options; \
            its stdout, stderr and summary are kept under --runs-dir and its status in the \
            schedule's history (`refonte schedule history NAME`). Overlap and catch-up follow \
            each schedule's policy, and a fire never runs twice.

            On SIGTERM or Ctrl-C it starts nothing new, lets running runs finish for --grace, \
            then stops them (SIGTERM, then SIGKILL 5s later) and records them interrupted. If \
            it is killed outright, the next scheduler to start on the store records its runs \
            interrupted and goes on with the schedules.

            Several schedulers, on one host or many, may share a store; with PostgreSQL \
            (--store postgres://…) each fire is claimed by exactly one of them, and one that \
            stops renewing its --lease has its runs taken over (docs/scheduler.md).

            Examples:
              refonte scheduler
              refonte scheduler --store postgres://refonte@db.internal/refonte --keep-runs 500
              REFONTE_LOG_LEVEL=debug refonte scheduler --grace 2m

            Environment:
              REFONTE_SCHEDULER_STORE   the store when --store is not given
              REFONTE_LOG_LEVEL         trace, debug, info (default), warning, error
              PGPASSWORD                the PostgreSQL password when the URL has none
              Runs inherit the scheduler's environment (REFONTE_PROFILE, REFONTE_API_KEY, …).
            """
    )

    @OptionGroup var store: StoreFlags

    @Option(name: .customLong("keep-runs"), help: "Finished runs kept per schedule, with their output.")
    var keepRuns: Int = SchedulerConfiguration.defaultKeepRuns

    @Option(
        help: ArgumentHelp(
            "On SIGTERM, how long running runs may go on (0s stops them at once).",
            valueName: "duration"
        )
    )
    var grace: String = "30s"

    @Option(
        help: ArgumentHelp(
            "How long this scheduler's claim on its runs lasts unless renewed; at least twice --poll.",
            valueName: "duration"
        )
    )
    var lease: String = "30s"

    @Option(
        help: ArgumentHelp(
            "How often to renew the lease and look for manual runs and dead schedulers.",
            valueName: "duration"
        )
    )
    var poll: String = "5s"

    @Option(
        name: .customLong("runs-dir"),
        help: ArgumentHelp(
            "Where run output is kept (default: $XDG_DATA_HOME/refonte/runs).",
            valueName: "folder"
        )
    )
    var runsDirectory: String?

    func run() async throws {
        let configuration: SchedulerConfiguration
        let location: StoreLocation
        do {
            configuration = try makeConfiguration()
            location = try store.location()
        } catch {
            throw ScheduleCLI.fail("scheduler", error)
        }
        let logger = Logger(label: "refonte.scheduler")
        let opened: any ScheduleStore
        do {
            opened = try await location.open(logger: logger)
        } catch {
            throw ScheduleCLI.fail("scheduler", error)
        }
        let count = (try? await opened.schedules().count) ?? 0
        printError(
            "refonte scheduler: \(count) schedule\(count == 1 ? "" : "s") in \(opened.location); run output under \(configuration.runsDirectory); stop with Ctrl-C or SIGTERM"
        )
        let scheduler = Scheduler(store: opened, configuration: configuration, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: scheduler)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await group.run()
            await opened.close()
        } catch {
            await opened.close()
            throw ScheduleCLI.fail("scheduler", error)
        }
    }

    func makeConfiguration() throws -> SchedulerConfiguration {
        guard keepRuns >= 1 else {
            throw ScheduleError(.usage, "--keep-runs \(keepRuns): expected 1 or more")
        }
        let grace = try ScheduleCLI.duration(grace, flag: "--grace", allowZero: true)
        let lease = try ScheduleCLI.duration(lease, flag: "--lease")
        let poll = try ScheduleCLI.duration(poll, flag: "--poll")
        guard lease >= poll * 2 else {
            throw ScheduleError(
                .usage,
                "--lease \(self.lease) must be at least twice --poll \(self.poll), or this scheduler would be taken for dead between renewals"
            )
        }
        var folder = runsDirectory ?? StoreLocation.defaultRunsDirectory()
        if !folder.hasPrefix("/") { folder = FileManager.default.currentDirectoryPath + "/" + folder }
        return SchedulerConfiguration(
            executable: CurrentExecutable.path,
            runsDirectory: folder,
            keepRuns: keepRuns,
            lease: lease,
            poll: poll,
            grace: grace
        )
    }
}
