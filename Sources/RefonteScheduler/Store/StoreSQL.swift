import Foundation
import RefonteAPI

/// The schema and statements both stores share, written with `?` placeholders (PostgreSQL
/// numbers them). Times are milliseconds since 1970 in BIGINT columns, lists are JSON text.
enum StoreSQL {
    enum Dialect { case sqlite, postgres }

    static func schema(_ dialect: Dialect) -> [String] {
        let key = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        return [
            """
            CREATE TABLE IF NOT EXISTS refonte_scheduler_meta (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS refonte_schedule (
                name TEXT PRIMARY KEY,
                cron TEXT NOT NULL,
                timezone TEXT NOT NULL,
                arguments TEXT NOT NULL,
                working_directory TEXT NOT NULL,
                overlap TEXT NOT NULL,
                catch_up TEXT NOT NULL,
                catch_up_window_ms BIGINT NOT NULL,
                paused BIGINT NOT NULL DEFAULT 0,
                cursor_ms BIGINT NOT NULL,
                created_ms BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS refonte_run (
                id \(key),
                schedule TEXT NOT NULL REFERENCES refonte_schedule(name) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                nominal_ms BIGINT NOT NULL,
                status TEXT NOT NULL,
                reason TEXT,
                holder TEXT,
                host TEXT,
                pid BIGINT,
                process_start BIGINT,
                cancel_reason TEXT,
                started_ms BIGINT,
                finished_ms BIGINT,
                exit_code BIGINT,
                calls BIGINT,
                writes BIGINT,
                output_directory TEXT,
                arguments TEXT NOT NULL,
                working_directory TEXT NOT NULL
            )
            """,
            // A run's identity: a fire of a schedule runs at most once, whoever claims it.
            """
            CREATE UNIQUE INDEX IF NOT EXISTS refonte_run_fire
                ON refonte_run (schedule, nominal_ms) WHERE kind <> 'manual'
            """,
            "CREATE INDEX IF NOT EXISTS refonte_run_active ON refonte_run (status, holder)",
            "CREATE INDEX IF NOT EXISTS refonte_run_history ON refonte_run (schedule, nominal_ms)",
            """
            CREATE TABLE IF NOT EXISTS refonte_scheduler_instance (
                id TEXT PRIMARY KEY,
                host TEXT NOT NULL,
                pid BIGINT NOT NULL,
                process_start BIGINT,
                started_ms BIGINT NOT NULL,
                lease_until_ms BIGINT NOT NULL
            )
            """,
        ]
    }

    static let scheduleColumns =
        "name, cron, timezone, arguments, working_directory, overlap, catch_up, catch_up_window_ms, paused, cursor_ms, created_ms"
    static let runColumns = """
        id, schedule, kind, nominal_ms, status, reason, holder, host, pid, process_start, started_ms, finished_ms, exit_code, \
        calls, writes, output_directory, arguments, working_directory
        """

    static let insertSchedule =
        "INSERT INTO refonte_schedule (\(scheduleColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING name"
    static let selectSchedule = "SELECT \(scheduleColumns) FROM refonte_schedule WHERE name = ?"
    static let selectSchedules = "SELECT \(scheduleColumns) FROM refonte_schedule ORDER BY name"
    static let setPaused =
        "UPDATE refonte_schedule SET paused = ?, cursor_ms = ? WHERE name = ? RETURNING name"
    static let setPausedKeepingCursor = "UPDATE refonte_schedule SET paused = ? WHERE name = ? RETURNING name"
    static let deleteSchedule = "DELETE FROM refonte_schedule WHERE name = ? RETURNING name"
    static let setCursor = "UPDATE refonte_schedule SET cursor_ms = ? WHERE name = ?"

    static let insertManualRun = """
        INSERT INTO refonte_run (schedule, kind, nominal_ms, status, arguments, working_directory)
        SELECT name, 'manual', ?, 'queued', arguments, working_directory FROM refonte_schedule WHERE name = ?
        RETURNING id
        """
    /// A fire already recorded (by this or another instance) is left as it is.
    static let insertFire = """
        INSERT INTO refonte_run (schedule, kind, nominal_ms, status, reason, holder, finished_ms, arguments, working_directory)
        SELECT name, ?, ?, ?, ?, ?, ?, arguments, working_directory FROM refonte_schedule WHERE name = ?
        ON CONFLICT (schedule, nominal_ms) WHERE kind <> 'manual' DO NOTHING
        """
    static let selectRuns =
        "SELECT \(runColumns) FROM refonte_run WHERE schedule = ? ORDER BY nominal_ms DESC, id DESC LIMIT ?"
    static let selectRun = "SELECT \(runColumns) FROM refonte_run WHERE id = ?"
    static let selectActiveRuns = """
        SELECT id, kind, nominal_ms, status, holder FROM refonte_run
        WHERE schedule = ? AND status IN ('queued', 'running') ORDER BY nominal_ms, id
        """
    static let requestCancel = "UPDATE refonte_run SET cancel_reason = ? WHERE id = ? AND status = 'running'"
    static let skipQueued =
        "UPDATE refonte_run SET status = 'skipped', reason = ?, finished_ms = ?, holder = NULL WHERE id = ? AND status = 'queued'"
    static let schedulesWithClaimableRuns = """
        SELECT DISTINCT schedule FROM refonte_run WHERE status = 'queued' AND (holder IS NULL OR holder = ?)
        """
    static let startRun = """
        UPDATE refonte_run SET status = 'running', holder = ?, host = ?, started_ms = ?
        WHERE id = ? AND status = 'queued' RETURNING \(runColumns)
        """
    static let markStarted = """
        UPDATE refonte_run SET pid = ?, process_start = ?, output_directory = ?, started_ms = ?
        WHERE id = ? AND holder = ? AND status = 'running'
        """
    static let finishRun = """
        UPDATE refonte_run SET status = ?, reason = ?, exit_code = ?, calls = ?, writes = ?, finished_ms = ?
        WHERE id = ? AND holder = ? AND status = 'running' RETURNING id
        """
    static let finishedRunsNewestFirst = """
        SELECT \(runColumns) FROM refonte_run WHERE schedule = ? AND status NOT IN ('queued', 'running')
        ORDER BY nominal_ms DESC, id DESC
        """
    static let deleteRun = "DELETE FROM refonte_run WHERE id = ?"
    static let selectRunIDs = "SELECT id FROM refonte_run WHERE schedule = ?"

    static let registerInstance = """
        INSERT INTO refonte_scheduler_instance (id, host, pid, process_start, started_ms, lease_until_ms)
        VALUES (?, ?, ?, ?, ?, ?)
        """
    static let renewInstance =
        "UPDATE refonte_scheduler_instance SET lease_until_ms = ? WHERE id = ? RETURNING id"
    static let heldRunning =
        "SELECT id, cancel_reason FROM refonte_run WHERE holder = ? AND status = 'running'"
    static let releaseQueued = "UPDATE refonte_run SET holder = NULL WHERE holder = ? AND status = 'queued'"
    static let deleteInstance = "DELETE FROM refonte_scheduler_instance WHERE id = ?"
    static let otherInstances =
        "SELECT id, host, pid, process_start, lease_until_ms FROM refonte_scheduler_instance WHERE id <> ?"
    static let interruptHeld = """
        UPDATE refonte_run SET status = 'interrupted', reason = ?, finished_ms = ?
        WHERE holder = ? AND status = 'running' RETURNING \(runColumns)
        """
    /// Running runs whose holder is not registered at all (its record was removed).
    static let interruptOrphans = """
        UPDATE refonte_run SET status = 'interrupted', reason = ?, finished_ms = ?
        WHERE status = 'running' AND (holder IS NULL OR holder NOT IN (SELECT id FROM refonte_scheduler_instance))
        RETURNING \(runColumns)
        """

    static let selectMeta = "SELECT value FROM refonte_scheduler_meta WHERE key = ?"
    static let insertMeta =
        "INSERT INTO refonte_scheduler_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING"

    /// `?` → `$1`, `$2`, … for PostgreSQL. The statements hold no `?` inside literals.
    static func numbered(_ sql: String) -> String {
        var result = ""
        var count = 0
        for character in sql {
            if character == "?" {
                count += 1
                result += "$\(count)"
            } else {
                result.append(character)
            }
        }
        return result
    }
}

/// A value bound to a statement.
enum SQLValue: Sendable {
    case integer(Int64?)
    case text(String?)
}

extension Date {
    var milliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
    init(milliseconds: Int64) { self.init(timeIntervalSince1970: Double(milliseconds) / 1000) }
}

/// A result row, whichever database it came from.
protocol StoreRow {
    func integer(_ column: String) throws -> Int64?
    func text(_ column: String) throws -> String?
}

extension StoreRow {
    func requiredText(_ column: String) throws -> String {
        guard let value = try text(column) else {
            throw ScheduleError.store("the store's \(column) is empty")
        }
        return value
    }

    func requiredInteger(_ column: String) throws -> Int64 {
        guard let value = try integer(column) else {
            throw ScheduleError.store("the store's \(column) is empty")
        }
        return value
    }
}

/// Rows to values and back, the same for both stores.
enum StoreCoding {
    static func scheduleValues(_ schedule: Schedule, cursor: Date) -> [SQLValue] {
        [
            .text(schedule.name), .text(schedule.expression.source), .text(schedule.timeZone.identifier),
            .text(encode(schedule.invocation.arguments)), .text(schedule.invocation.workingDirectory),
            .text(schedule.overlap.rawValue), .text(schedule.catchUp.rawValue),
            .integer(Int64(schedule.catchUpWindow.seconds * 1000)), .integer(schedule.paused ? 1 : 0),
            .integer(cursor.milliseconds), .integer(schedule.createdAt.milliseconds),
        ]
    }

    static func schedule(_ row: some StoreRow) throws -> (Schedule, cursor: Date) {
        let name = try row.requiredText("name")
        func broken(_ what: String) -> ScheduleError {
            .store("schedule \(name) in the store has \(what); remove it and add it again")
        }
        let expression: CronExpression
        do {
            expression = try CronExpression(try row.requiredText("cron"))
        } catch {
            throw broken("a cron expression this version cannot read")
        }
        guard let zone = TimeZone(identifier: try row.requiredText("timezone")) else {
            throw broken("a time zone this machine does not know")
        }
        guard let overlap = OverlapPolicy(rawValue: try row.requiredText("overlap")),
            let catchUp = CatchUpPolicy(rawValue: try row.requiredText("catch_up"))
        else { throw broken("a policy this version does not know") }
        let schedule = Schedule(
            name: name,
            expression: expression,
            timeZone: zone,
            invocation: RunInvocation(
                arguments: try decode(try row.requiredText("arguments")),
                workingDirectory: try row.requiredText("working_directory")
            ),
            overlap: overlap,
            catchUp: catchUp,
            catchUpWindow: .milliseconds(try row.requiredInteger("catch_up_window_ms")),
            paused: try row.requiredInteger("paused") != 0,
            createdAt: Date(milliseconds: try row.requiredInteger("created_ms"))
        )
        return (schedule, Date(milliseconds: try row.requiredInteger("cursor_ms")))
    }

    static func run(_ row: some StoreRow) throws -> RunRecord {
        let id = try row.requiredInteger("id")
        guard let trigger = RunTrigger(rawValue: try row.requiredText("kind")),
            let status = RunStatus(rawValue: try row.requiredText("status"))
        else {
            throw ScheduleError.store(
                "run #\(id) in the store has a kind or status this version does not know"
            )
        }
        return RunRecord(
            id: id,
            schedule: try row.requiredText("schedule"),
            trigger: trigger,
            nominalTime: Date(milliseconds: try row.requiredInteger("nominal_ms")),
            status: status,
            reason: try row.text("reason"),
            holder: try row.text("holder"),
            host: try row.text("host"),
            pid: try row.integer("pid").map { Int32(truncatingIfNeeded: $0) },
            processStart: try row.integer("process_start"),
            startedAt: try row.integer("started_ms").map(Date.init(milliseconds:)),
            finishedAt: try row.integer("finished_ms").map(Date.init(milliseconds:)),
            exitCode: try row.integer("exit_code").map { Int32(truncatingIfNeeded: $0) },
            calls: try row.integer("calls").map(Int.init),
            writes: try row.integer("writes").map(Int.init),
            outputDirectory: try row.text("output_directory"),
            arguments: try decode(try row.requiredText("arguments"))
        )
    }

    static func claimed(_ row: some StoreRow) throws -> ClaimedRun {
        let run = try run(row)
        return ClaimedRun(
            run: run,
            invocation: RunInvocation(
                arguments: run.arguments,
                workingDirectory: try row.requiredText("working_directory")
            )
        )
    }

    static func activeRun(_ row: some StoreRow) throws -> (ActiveRun, holder: String?) {
        let id = try row.requiredInteger("id")
        guard let trigger = RunTrigger(rawValue: try row.requiredText("kind")),
            let status = RunStatus(rawValue: try row.requiredText("status"))
        else {
            throw ScheduleError.store(
                "run #\(id) in the store has a kind or status this version does not know"
            )
        }
        let run = ActiveRun(
            id: id,
            trigger: trigger,
            nominalTime: Date(milliseconds: try row.requiredInteger("nominal_ms")),
            status: status
        )
        return (run, try row.text("holder"))
    }

    static func instance(_ row: some StoreRow) throws -> InstanceRecord {
        InstanceRecord(
            id: try row.requiredText("id"),
            host: try row.requiredText("host"),
            pid: Int32(truncatingIfNeeded: try row.requiredInteger("pid")),
            processStart: try row.integer("process_start"),
            leaseUntil: Date(milliseconds: try row.requiredInteger("lease_until_ms"))
        )
    }

    static func outcomeValues(_ outcome: RunOutcome, now: Date, runID: Int64, instance: String) -> [SQLValue]
    {
        [
            .text(outcome.status.rawValue), .text(outcome.reason), .integer(outcome.exitCode.map(Int64.init)),
            .integer(outcome.calls.map(Int64.init)), .integer(outcome.writes.map(Int64.init)),
            .integer(now.milliseconds), .integer(runID), .text(instance),
        ]
    }

    static func fireValues(
        _ run: TickPlanner.NewRun,
        schedule: String,
        instance: String,
        now: Date
    ) -> [SQLValue] {
        let queued = run.status == .queued
        return [
            .text(run.trigger.rawValue), .integer(run.nominalTime.milliseconds), .text(run.status.rawValue),
            .text(run.reason), .text(queued ? instance : nil), .integer(queued ? nil : now.milliseconds),
            .text(schedule),
        ]
    }

    static func encode(_ words: [String]) -> String {
        JSONValue.array(words.map(JSONValue.string)).jsonText
    }

    static func decode(_ text: String) throws -> [String] {
        guard case .array(let items) = try? JSONValue.parse(text) else {
            throw ScheduleError.store("the store holds run arguments that are not a JSON list")
        }
        return items.compactMap { if case .string(let word) = $0 { word } else { nil } }
    }

    /// Why runs of a dead instance were cut short.
    static func deadHolderReason(_ instance: InstanceRecord, now: Date, processGone: Bool) -> String {
        if processGone {
            return "its scheduler (\(instance.host), pid \(instance.pid)) died before it finished"
        }
        return
            "its scheduler (\(instance.host), pid \(instance.pid)) stopped renewing its lease, which ran out at \(TimeText.iso(instance.leaseUntil))"
    }
}
