import Foundation
import Quantities
import RefonteAPI
import RefonteScheduler

/// How schedules, fire times and runs are shown, as text and as JSON.
enum ScheduleDescription {
    /// The schedule's settings and its next fires.
    static func text(_ schedule: Schedule, fireCount: Int, now: Date) -> String {
        let zone = schedule.timeZone
        var lines = [
            "  cron:      \(schedule.expression.source)   (\(zone.identifier))",
            "  runs:      \(schedule.invocation.commandLine())",
            "  in:        \(schedule.invocation.workingDirectory)",
            "  overlap:   \(schedule.overlap.rawValue)",
            "  catch-up:  \(schedule.catchUp.rawValue)"
                + (schedule.catchUp == .none
                    ? "" : ", within \(DurationText.format(schedule.catchUpWindow))"),
            "  state:     \(schedule.paused ? "paused" : "active")",
            "  added:     \(TimeText.format(schedule.createdAt, in: zone))",
        ]
        let fires = schedule.cron.fires(after: now, limit: fireCount)
        lines.append("next fires (\(zone.identifier), then UTC):")
        lines += fires.map { "  " + fireLine($0, zone: zone) }
        if schedule.paused {
            lines.append("  (paused: none of these runs until `refonte schedule resume \(schedule.name)`)")
        }
        return lines.joined(separator: "\n")
    }

    /// `2025-03-30 03:00 CEST   2025-03-30T01:00:00Z   ! 02:30 does not exist that day …`
    static func fireLine(_ fire: FireTime, zone: TimeZone) -> String {
        var line = "\(TimeText.format(fire.instant, in: zone))   \(TimeText.iso(fire.instant))"
        if let note = fire.daylightSaving {
            line += "   ! daylight saving: " + note.explanation(scheduled: fire.scheduled)
        }
        return line
    }

    static func fireJSON(_ fire: FireTime, zone: TimeZone) -> JSONValue {
        var object: [String: JSONValue] = [
            "utc": .string(TimeText.iso(fire.instant)),
            "local": .string(TimeText.iso(fire.instant, in: zone)),
            "scheduled": .string(fire.scheduled.description),
        ]
        if let note = fire.daylightSaving {
            object["daylight_saving"] = .string(note.tag)
            object["note"] = .string(note.explanation(scheduled: fire.scheduled))
        } else {
            object["daylight_saving"] = .null
        }
        return .object(object)
    }

    static func json(_ schedule: Schedule, fireCount: Int, now: Date) -> JSONValue {
        .object([
            "name": .string(schedule.name),
            "cron": .string(schedule.expression.source),
            "timezone": .string(schedule.timeZone.identifier),
            "paused": .bool(schedule.paused),
            "overlap": .string(schedule.overlap.rawValue),
            "catch_up": .string(schedule.catchUp.rawValue),
            "catch_up_window_seconds": .integer(Int64(schedule.catchUpWindow.components.seconds)),
            "arguments": .array(schedule.invocation.arguments.map(JSONValue.string)),
            "working_directory": .string(schedule.invocation.workingDirectory),
            "command": .string(schedule.invocation.commandLine()),
            "created_at": .string(TimeText.iso(schedule.createdAt)),
            "next_fires": .array(
                schedule.cron.fires(after: now, limit: fireCount).map {
                    fireJSON($0, zone: schedule.timeZone)
                }
            ),
        ])
    }

    /// A run as one row of `history`.
    static func runRow(_ run: RunRecord, zone: TimeZone) -> [String] {
        var output = ""
        if let folder = run.outputDirectory { output = (run.host.map { "\($0):" } ?? "") + folder }
        return [
            "#\(run.id)",
            run.status.rawValue,
            run.trigger.rawValue,
            TimeText.format(run.nominalTime, in: zone),
            run.startedAt.map { LocalTime($0, in: zone).timeText } ?? "-",
            run.duration.map(DurationText.format) ?? "-",
            run.exitCode.map(String.init) ?? "-",
            run.calls.map(String.init) ?? "-",
            run.writes.map(String.init) ?? "-",
            [run.reason, output.isEmpty ? nil : output].compactMap { $0 }.joined(separator: "; "),
        ]
    }

    static let runHeader = [
        "RUN", "STATUS", "TRIGGER", "FIRE", "STARTED", "DURATION", "EXIT", "CALLS", "WRITES",
        "REASON; OUTPUT",
    ]

    static func runJSON(_ run: RunRecord) -> JSONValue {
        func time(_ date: Date?) -> JSONValue {
            date.map { .string(TimeText.iso($0, milliseconds: true)) } ?? .null
        }
        func number<T: BinaryInteger>(_ value: T?) -> JSONValue { value.map { .integer(Int64($0)) } ?? .null }
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        let output = run.outputDirectory
        return .object([
            "id": .integer(run.id),
            "schedule": .string(run.schedule),
            "status": .string(run.status.rawValue),
            "trigger": .string(run.trigger.rawValue),
            "fire_time": .string(TimeText.iso(run.nominalTime)),
            "started_at": time(run.startedAt),
            "finished_at": time(run.finishedAt),
            "duration_seconds": run.duration.map {
                .double(Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18)
            } ?? .null,
            "exit_code": number(run.exitCode),
            "calls": number(run.calls),
            "writes": number(run.writes),
            "reason": text(run.reason),
            "host": text(run.host),
            "pid": number(run.pid),
            "output_directory": text(output),
            "stdout": text(output.map { $0 + "/stdout" }),
            "stderr": text(output.map { $0 + "/stderr" }),
            "arguments": .array(run.arguments.map(JSONValue.string)),
        ])
    }
}
