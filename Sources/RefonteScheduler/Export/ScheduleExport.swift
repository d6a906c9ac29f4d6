import Foundation

/// Schedules as other schedulers take them, for teams that prefer to run refonte from cron or
/// systemd timers. Neither keeps refonte's history; what each loses is said in comments.
public enum ScheduleExport {
    /// One crontab (cronie: `CRON_TZ=` sets each entry's zone). Overlap `forbid` becomes
    /// `flock -n`; paused schedules are commented out.
    public static func crontab(
        _ schedules: [Schedule],
        executable: String,
        lockDirectory: String = "/tmp"
    ) -> String {
        var lines = [
            "# refonte schedules for cron (cronie). cron keeps no run history and has no catch-up",
            "# (anacron does); overlap forbid is kept with flock -n, replace is not.",
        ]
        for schedule in schedules {
            lines.append("")
            lines.append(
                "# \(schedule.name): \(schedule.expression.source) in \(schedule.timeZone.identifier), overlap \(schedule.overlap.rawValue), catch-up \(schedule.catchUp.rawValue)"
            )
            var command = "cd \(ShellQuote.quote(schedule.invocation.workingDirectory)) && "
            if schedule.overlap == .forbid {
                command += "flock -n \(ShellQuote.quote("\(lockDirectory)/refonte-\(schedule.name).lock")) "
            }
            command += schedule.invocation.commandLine(executable: executable)
            // cron turns an unescaped % into a newline.
            let entry =
                "CRON_TZ=\(schedule.timeZone.identifier)\n\(schedule.expression.source) \(command.replacingOccurrences(of: "%", with: "\\%"))"
            lines +=
                schedule.paused
                ? ["# paused:"] + entry.split(separator: "\n").map { "# " + $0 }
                : entry.split(separator: "\n").map(String.init)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A `.service` and a `.timer` per schedule, by file name. Overlap: systemd never starts a
    /// service that is still running (forbid); catch-up once is `Persistent=true`.
    public static func systemd(
        _ schedules: [Schedule],
        executable: String
    ) -> [(name: String, contents: String)] {
        var files: [(String, String)] = []
        for schedule in schedules {
            let unit = "refonte-\(schedule.name)"
            let command = ([executable, "run"] + schedule.invocation.arguments).map(systemdQuote).joined(
                separator: " "
            )
            files.append(
                (
                    "\(unit).service",
                    """
                    [Unit]
                    Description=refonte schedule \(schedule.name)

                    [Service]
                    Type=oneshot
                    WorkingDirectory=\(systemdQuote(schedule.invocation.workingDirectory))
                    ExecStart=\(command)

                    """
                )
            )
            var timer = [
                "[Unit]",
                "Description=refonte schedule \(schedule.name): \(schedule.expression.source) in \(schedule.timeZone.identifier)",
                "# Overlap \(schedule.overlap.rawValue): systemd does not start the service while it still runs (as forbid).",
                "# Daylight saving: systemd's rules, not cron's (see docs/scheduler.md).",
                "",
                "[Timer]",
            ]
            timer += schedule.expression.systemdCalendars().map {
                "OnCalendar=\($0) \(schedule.timeZone.identifier)"
            }
            timer.append("AccuracySec=1s")
            switch schedule.catchUp {
            case .none: break
            case .once: timer.append("Persistent=true")
            case .all: timer.append("Persistent=true  # systemd catches up once, not every missed fire")
            }
            timer += ["", "[Install]", "WantedBy=timers.target", ""]
            if schedule.paused { timer.insert("# paused in refonte: enable this timer to resume it", at: 0) }
            files.append(("\(unit).timer", timer.joined(separator: "\n")))
        }
        return files
    }

    /// A word for `ExecStart=`: systemd reads C-style escapes inside double quotes, and `%` and
    /// `$` as its own specifiers.
    static func systemdQuote(_ word: String) -> String {
        let escaped = word.replacingOccurrences(of: "%", with: "%%").replacingOccurrences(of: "$", with: "$$")
        let plain = !escaped.isEmpty && escaped.allSatisfy { !$0.isWhitespace && !"\"'\\;".contains($0) }
        if plain { return escaped }
        return "\""
            + escaped.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                of: "\"",
                with: "\\\""
            ) + "\""
    }
}

extension CronExpression {
    /// `OnCalendar=` values (without the zone) that fire at the same wall times. Day of month
    /// and day of week OR together in cron when both are restricted, but AND in systemd, so
    /// that case takes two values.
    public func systemdCalendars() -> [String] {
        func list(_ set: CronValueSet, _ full: ClosedRange<Int>) -> String {
            let values = set.values
            if values == Array(full) { return "*" }
            return values.map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ",")
        }
        let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let days = daysOfWeek.values.map { weekdayNames[$0] }.joined(separator: ",")
        let time = "\(list(hours, 0...23)):\(list(minutes, 0...59)):00"
        let month = list(months, 1...12)
        let allWeekdays = daysOfWeek.values == Array(0...6)
        if dayOfMonthStar || dayOfWeekStar {
            let prefix = allWeekdays ? "" : days + " "
            return ["\(prefix)*-\(month)-\(list(daysOfMonth, 1...31)) \(time)"]
        }
        return ["\(days) *-\(month)-* \(time)", "*-\(month)-\(list(daysOfMonth, 1...31)) \(time)"]
    }
}
