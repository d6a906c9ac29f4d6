import ArgumentParser
import Foundation
import RefonteScheduler

/// `refonte schedule export --format crontab|systemd`.
struct ScheduleExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write schedules as a crontab or as systemd timer units.",
        discussion: """
            For teams that run refonte from their own scheduler. Neither keeps refonte's run \
            history; the comments say which policies carry over (overlap forbid as flock -n or \
            systemd's own rule, catch-up once as Persistent=true).

            Examples:
              refonte schedule export --format crontab > refonte.cron && crontab refonte.cron
              refonte schedule export --format systemd --directory ~/.config/systemd/user nightly
              systemctl --user daemon-reload && systemctl --user enable --now refonte-nightly.timer
            """
    )

    @Option(help: ArgumentHelp("crontab or systemd.", valueName: "crontab|systemd"))
    var format: String

    @Option(
        help: ArgumentHelp(
            "systemd: write the unit files into this folder instead of printing them.",
            valueName: "folder"
        )
    )
    var directory: String?

    @Argument(help: ArgumentHelp("Schedules to export (default: all).", valueName: "name"))
    var names: [String] = []

    @OptionGroup var store: StoreFlags

    func run() async throws {
        guard format == "crontab" || format == "systemd" else {
            throw ScheduleCLI.fail(
                "schedule export",
                ScheduleError(.usage, "--format \"\(format)\": expected crontab or systemd")
            )
        }
        if directory != nil, format != "systemd" {
            throw ScheduleCLI.fail(
                "schedule export",
                ScheduleError(.usage, "--directory writes systemd units; a crontab goes to standard output")
            )
        }
        try await ScheduleCLI.withStore(store, command: "schedule export") { store in
            var schedules: [Schedule] = []
            if names.isEmpty {
                schedules = try await store.schedules().map(\.schedule)
            } else {
                for name in names { schedules.append(try await ScheduleCLI.schedule(name, in: store)) }
            }
            let executable = CurrentExecutable.path
            if format == "crontab" {
                print(ScheduleExport.crontab(schedules, executable: executable), terminator: "")
                return
            }
            let files = ScheduleExport.systemd(schedules, executable: executable)
            guard let directory else {
                for file in files { print("# ---- \(file.name) ----\n\(file.contents)") }
                return
            }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for file in files {
                let path = (directory as NSString).appendingPathComponent(file.name)
                guard FileManager.default.createFile(atPath: path, contents: Data(file.contents.utf8)) else {
                    throw ScheduleError(.store, "cannot write \(path)")
                }
                print("wrote \(path)")
            }
        }
    }
}
