import ArgumentParser

/// `refonte schedule`: scheduled runs of scripts, which `refonte scheduler` carries out.
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Schedule scripts with cron expressions; `refonte scheduler` runs them.",
        discussion: """
            A schedule runs `refonte run` with a script at the fire times of a cron expression, \
            in a time zone, with overlap and catch-up policies. Every run's status, output, exit \
            code, API calls and writes are kept in the history.

            Examples:
              refonte schedule add nightly --cron "0 2 * * *" --timezone Europe/Paris \\
                  --script reprioritise.lua --timeout 10m -- --batch-prefix nightly
              refonte schedule list
              refonte schedule show nightly
              refonte schedule next "*/15 9-17 * * mon-fri" --count 8
              refonte schedule history nightly --output json
              refonte scheduler          # runs them until Ctrl-C or SIGTERM

            Schedules live in a SQLite file ($XDG_DATA_HOME/refonte/scheduler.sqlite) unless \
            --store or REFONTE_SCHEDULER_STORE names another, or a PostgreSQL database that \
            schedulers on several hosts share (docs/scheduler.md).

            Exit codes: 0 done; 1 the store failed; 2 bad input or no such schedule.
            """,
        subcommands: [
            ScheduleAdd.self, ScheduleList.self, ScheduleShow.self, SchedulePause.self, ScheduleResume.self,
            ScheduleRemove.self, ScheduleRunNow.self, ScheduleHistory.self, ScheduleNext.self,
            ScheduleExportCommand.self,
        ]
    )
}
