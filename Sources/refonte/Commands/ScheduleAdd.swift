import ArgumentParser
import Foundation
import Quantities
import RefonteScheduler
import RefonteScripting

/// `refonte schedule add NAME --cron EXPR --script PATH [options] [-- ARGS...]`.
struct ScheduleAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a schedule: a script, a cron expression and its policies.",
        discussion: """
            Each fire runs `refonte run [--profile …] [--timeout …] [--max-memory …] [--allow-…] \
            SCRIPT -- ARGS` in the folder this command was run from. Paths are made absolute, so \
            the schedule does not depend on where the scheduler starts.

            Cron expressions have 5 fields (minute hour day-of-month month day-of-week) with \
            *, ranges (1-5), lists (1,3,5), steps (*/15, 8-18/2) and names (jan-dec, sun-sat), or \
            one of @hourly, @daily, @weekly, @monthly, @yearly. When both day fields are \
            restricted, a day matching either runs, as in cron. Daylight saving follows cron: a \
            time the clocks skip runs once when the gap ends; a time they repeat runs once; \
            schedules whose minute or hour begins with * fire by elapsed time \
            (docs/scheduler.md).

            Examples:
              refonte schedule add nightly --cron "0 2 * * *" --timezone Europe/Paris \\
                  --script reprioritise.lua --timeout 10m --catch-up once
              refonte schedule add cleanup --cron @hourly --script cleanup.lua \\
                  --overlap replace
              refonte schedule add report --cron "0 8 * * mon" --script report.lua \\
                  --allow-write reports/ -- --weeks 1

            Each run gets REFONTE_SCHEDULE, REFONTE_RUN_ID, REFONTE_RUN_TRIGGER and \
            REFONTE_FIRE_TIME in its environment (readable with --allow-env).
            """
    )

    @Argument(help: ArgumentHelp("The schedule's name: \(ScheduleName.rule).", valueName: "name"))
    var name: String

    @Option(
        help: ArgumentHelp("When to run: a cron expression, e.g. \"0 2 * * *\" or @daily.", valueName: "expr")
    )
    var cron: String

    @Option(help: ArgumentHelp("The Lua script each run runs.", valueName: "path"))
    var script: String

    @Option(
        help: ArgumentHelp(
            "The time zone the expression is read in (default: this machine's, \(TimeZoneName.local.identifier)).",
            valueName: "zone"
        )
    )
    var timezone: String?

    @Option(
        help: ArgumentHelp(
            "When a fire comes while a run is still going: forbid skips the fire (recorded), allow runs both, replace stops the running one.",
            valueName: "forbid|allow|replace"
        )
    )
    var overlap: String = OverlapPolicy.forbid.rawValue

    @Option(
        name: .customLong("catch-up"),
        help: ArgumentHelp(
            "Fires missed while no scheduler ran: none records them missed, once runs the latest, all runs each in turn.",
            valueName: "none|once|all"
        )
    )
    var catchUp: String = CatchUpPolicy.none.rawValue

    @Option(
        name: .customLong("catch-up-window"),
        help: ArgumentHelp(
            "How far back catch-up reaches: \(DurationText.forms).",
            valueName: "duration"
        )
    )
    var catchUpWindow: String = "6h"

    @Option(
        help: ArgumentHelp(
            "Run with this profile of the config file (the key never enters the schedule).",
            valueName: "name"
        )
    )
    var profile: String?

    @Option(
        help: ArgumentHelp("refonte run's --timeout: \(DurationText.forms).", valueName: "duration")
    )
    var timeout: String?

    @Option(
        name: .customLong("max-memory"),
        help: ArgumentHelp("refonte run's --max-memory: \(ByteCountText.forms).", valueName: "size")
    )
    var maxMemory: String?

    @Option(
        name: .customLong("allow-read"),
        help: ArgumentHelp("refonte run's --allow-read. Repeatable.", valueName: "path")
    )
    var allowRead: [String] = []

    @Option(
        name: .customLong("allow-write"),
        help: ArgumentHelp("refonte run's --allow-write. Repeatable.", valueName: "path")
    )
    var allowWrite: [String] = []

    @Option(
        name: .customLong("allow-env"),
        help: ArgumentHelp("refonte run's --allow-env. Repeatable.", valueName: "name")
    )
    var allowEnv: [String] = []

    @Flag(help: "Add it paused (`refonte schedule resume` starts it).")
    var paused = false

    @OptionGroup var store: StoreFlags

    @Argument(
        parsing: .postTerminator,
        help: ArgumentHelp("Arguments for the script, after --.", valueName: "args")
    )
    var arguments: [String] = []

    func run() async throws {
        let schedule: Schedule
        do {
            schedule = try makeSchedule()
        } catch {
            throw ScheduleCLI.fail("schedule add", error)
        }
        try await ScheduleCLI.withStore(store, command: "schedule add") { store in
            try await store.add(schedule)
            print("added schedule \(schedule.name) to \(store.location)")
            print(ScheduleDescription.text(schedule, fireCount: 3, now: Date()))
            print(
                "\n`refonte scheduler` runs it (keep one running, e.g. as a systemd service: docs/scheduler.md)."
            )
        }
    }

    /// Checks every option before anything is written.
    func makeSchedule() throws -> Schedule {
        try ScheduleName.check(name)
        let expression: CronExpression
        do {
            expression = try CronExpression(cron)
        } catch {
            throw ScheduleError(.usage, "--cron: \(error.description)")
        }
        let zone = try timezone.map { try TimeZoneName.zone($0) } ?? TimeZoneName.local
        guard let overlap = OverlapPolicy(rawValue: overlap) else {
            throw ScheduleError(.usage, "--overlap \"\(overlap)\": expected \(OverlapPolicy.choices)")
        }
        guard let catchUp = CatchUpPolicy(rawValue: catchUp) else {
            throw ScheduleError(.usage, "--catch-up \"\(catchUp)\": expected \(CatchUpPolicy.choices)")
        }
        guard let window = DurationText.parse(catchUpWindow) else {
            throw ScheduleError(
                .usage,
                "--catch-up-window: '\(catchUpWindow)' is not a duration; use \(DurationText.forms)"
            )
        }
        if let timeout, DurationText.parse(timeout) == nil {
            throw ScheduleError(
                .usage,
                "--timeout: '\(timeout)' is not a duration; use \(DurationText.forms)"
            )
        }
        if let maxMemory, ByteCountText.parse(maxMemory) == nil {
            throw ScheduleError(
                .usage,
                "--max-memory: '\(maxMemory)' is not a size; use \(ByteCountText.forms)"
            )
        }
        if let profile, profile.isEmpty {
            throw ScheduleError(.usage, "--profile: expected a profile name, got an empty string")
        }
        for name in allowEnv where name.isEmpty || name.contains("=") {
            throw ScheduleError(.usage, "--allow-env: '\(name)' is not an environment variable name")
        }
        let folder = FileManager.default.currentDirectoryPath
        let scriptPath = Self.absolute(script, in: folder)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: scriptPath, isDirectory: &isFolder) else {
            throw ScheduleError(.usage, "--script \(script): no such file")
        }
        guard !isFolder.boolValue, FileManager.default.isReadableFile(atPath: scriptPath) else {
            throw ScheduleError(.usage, "--script \(script): not a readable file")
        }
        let options = RunInvocation.Options(
            profile: profile,
            timeout: timeout,
            maxMemory: maxMemory,
            allowRead: allowRead.map { Self.absolute($0, in: folder) },
            allowWrite: allowWrite.map { Self.absolute($0, in: folder) },
            allowEnv: allowEnv
        )
        return Schedule(
            name: name,
            expression: expression,
            timeZone: zone,
            invocation: .script(scriptPath, arguments: arguments, options: options, workingDirectory: folder),
            overlap: overlap,
            catchUp: catchUp,
            catchUpWindow: window,
            paused: paused,
            createdAt: Date()
        )
    }

    static func absolute(_ path: String, in folder: String) -> String {
        let joined = path.hasPrefix("/") ? path : folder + "/" + path
        return (joined as NSString).standardizingPath
    }
}
