import Foundation
import Logging
import RefonteScheduler
import ServiceLifecycle

/// A temporary folder with a SQLite store, a runs folder and scripts, and a scheduler started on
/// a `ManualClock` that runs the built `refonte` binary for every run.
final class SchedulerFixture: Sendable {
    let folder: String
    let store: any ScheduleStore
    let clock: ManualClock

    init(start: Date, store: (any ScheduleStore)? = nil) throws {
        folder = NSTemporaryDirectory() + "refonte-scheduler-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        self.store = try store ?? SQLiteScheduleStore(path: folder + "/scheduler.sqlite", logger: quietLogger)
        clock = ManualClock(start)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Writes a script into the folder and returns its path.
    func script(_ name: String, _ source: String) throws -> String {
        let path = folder + "/" + name
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A schedule of `script` created at the clock's current time.
    func schedule(
        _ name: String,
        cron: String,
        script: String,
        arguments: [String] = [],
        options: RunInvocation.Options = .init(),
        overlap: OverlapPolicy = .forbid,
        catchUp: CatchUpPolicy = .none,
        window: Duration = Schedule.defaultCatchUpWindow,
        zone: String = "UTC"
    ) throws -> Schedule {
        Schedule(
            name: name,
            expression: try CronExpression(cron),
            timeZone: try TimeZoneName.zone(zone),
            invocation: .script(script, arguments: arguments, options: options, workingDirectory: folder),
            overlap: overlap,
            catchUp: catchUp,
            catchUpWindow: window,
            createdAt: clock.now()
        )
    }

    func configuration(
        keepRuns: Int = 100,
        lease: Duration = .seconds(600),
        poll: Duration = .seconds(5),
        grace: Duration = .seconds(30),
        environment: [String: String] = [:],
        host: String? = nil
    ) throws -> SchedulerConfiguration {
        SchedulerConfiguration(
            executable: try TestBinary.refonte(),
            runsDirectory: folder + "/runs",
            keepRuns: keepRuns,
            lease: lease,
            poll: poll,
            grace: grace,
            stopGrace: .seconds(2),
            environment: environment,
            identity: .current(host: host)
        )
    }

    /// Starts a scheduler on this fixture's store and clock; stop it with `RunningScheduler.stop`.
    func start(_ configuration: SchedulerConfiguration, store: (any ScheduleStore)? = nil) -> RunningScheduler
    {
        RunningScheduler(
            scheduler: Scheduler(
                store: store ?? self.store,
                clock: clock,
                configuration: configuration,
                logger: quietLogger
            )
        )
    }

    /// Polls the store (in real time) until `condition` holds for the schedule's runs.
    @discardableResult
    func waitForRuns(
        of name: String,
        store: (any ScheduleStore)? = nil,
        timeout: Duration = .seconds(60),
        _ what: String,
        until condition: ([RunRecord]) -> Bool
    ) async throws -> [RunRecord] {
        let store = store ?? self.store
        let deadline = ContinuousClock.now + timeout
        while true {
            let runs = try await store.runs(of: name, limit: 1000)
            if condition(runs) { return runs }
            if ContinuousClock.now > deadline {
                throw TimedOut(waitingFor: what, runs: runs)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

struct TimedOut: Error, CustomStringConvertible {
    var waitingFor: String
    var runs: [RunRecord]

    var description: String {
        "timed out waiting for \(waitingFor); runs: "
            + runs.map { "#\($0.id) \($0.trigger.rawValue) \($0.status.rawValue) \($0.reason ?? "")" }.joined(
                separator: " | "
            )
    }
}

/// A scheduler running in a service group of its own, as `refonte scheduler` runs it.
final class RunningScheduler: Sendable {
    let group: ServiceGroup
    let task: Task<Void, any Error>

    init(scheduler: Scheduler) {
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: scheduler)],
                gracefulShutdownSignals: [],
                logger: quietLogger
            )
        )
        self.group = group
        task = Task { try await group.run() }
    }

    /// A graceful shutdown (what SIGTERM does), then waits for the scheduler to return.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}

let quietLogger: Logger = {
    var logger = Logger(label: "scheduler-test")
    logger.logLevel = ProcessInfo.processInfo.environment["REFONTE_TEST_LOG"] == "1" ? .debug : .critical
    return logger
}()

enum TestBinary {
    /// The `refonte` binary beside the test bundle in the build folder.
    static func refonte() throws -> String {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("refonte").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw Missing()
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "no built refonte binary near the tests; run `swift build --build-tests` first"
        }
    }
}

/// `2030-01-07T10:00:00Z`-style instants for tests.
func utc(_ text: String) -> Date {
    guard let date = try? InstantText.parse(text, in: .gmt) else { fatalError("bad test date \(text)") }
    return date
}
