import ArgumentParser
import Foundation
import RefonteAPI
import RefonteScripting

struct AuditShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the audit log's records, oldest first.",
        discussion: """
            Examples:
              refonte audit show
              refonte audit show --run run_4f1c2a9be0d3a771
              refonte audit show --since 2h --output json
              refonte audit show --since 2026-05-04T09:00:00Z
            """
    )

    @OptionGroup var audit: AuditLogFlag

    @Option(name: .customLong("run"), help: ArgumentHelp("Only the records of this run id.", valueName: "id"))
    var runID: String?

    @Option(
        name: .customLong("since"),
        help: ArgumentHelp(
            "Only records from this time on: an RFC 3339 date-time, a date (YYYY-MM-DD, UTC), or a duration ago (30m, 2h, 7d).",
            valueName: "time"
        ),
        transform: { text in
            guard let date = SinceTime.parse(text, now: Date()) else {
                throw ValidationError(
                    "--since: '\(text)' is not a time; use an RFC 3339 date-time, a date (YYYY-MM-DD) or a duration such as 30m, 2h or 7d"
                )
            }
            return date
        }
    )
    var since: Date?

    @Option(
        name: .customLong("output"),
        help: ArgumentHelp("text (a table) or json (an array of the records as stored).", valueName: "format")
    )
    var output: SummaryFormat = .text

    func run() throws {
        let file = audit.resolvedPath
        var entries: [AuditEntry]
        do {
            entries = try AuditEntry.all(in: file)
        } catch {
            OpsOutput.error("refonte audit show: \(error)")
            throw ExitCode(1)
        }
        if let runID { entries = entries.filter { $0.string("run_id") == runID } }
        if let since { entries = entries.filter { ($0.time ?? .distantPast) >= since } }
        switch output {
        case .json:
            OpsOutput.print(JSONValue.array(entries.map { .object($0.fields) }).jsonText)
        case .text:
            if entries.isEmpty {
                OpsOutput.error("no records in \(file)" + (runID != nil || since != nil ? " match" : ""))
                return
            }
            var rows = [["TIME", "RUN", "OUTCOME", "OPERATION", "TARGET", "STATUS", "TRIES", "PLAN"]]
            for entry in entries {
                rows.append([
                    entry.string("time") ?? "?",
                    entry.string("run_id") ?? "?",
                    entry.string("outcome") ?? "?",
                    entry.string("operation") ?? "?",
                    "\(entry.string("method") ?? "") \(entry.string("target") ?? "")",
                    entry.integer("status").map(String.init) ?? "-",
                    entry.integer("attempts").map(String.init) ?? "-",
                    entry.string("plan_id").map { id in
                        entry.integer("plan_write").map { "\(id) #\($0)" } ?? id
                    } ?? "-",
                ])
            }
            OpsOutput.print(TextTable.render(rows), terminator: "")
        }
    }
}

/// `--since` values: a date-time, a date, or a duration ago.
enum SinceTime {
    static func parse(_ text: String, now: Date) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withFullDate]
        if let date = formatter.date(from: text) { return date }
        let units: [(String, Double)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        for (suffix, seconds) in units where text.hasSuffix(suffix) {
            guard let count = Double(text.dropLast(suffix.count)), count >= 0, count.isFinite else {
                return nil
            }
            return now.addingTimeInterval(-count * seconds)
        }
        return nil
    }
}
