import ArgumentParser
import Foundation
import RefonteAPI

/// `--dry-run`, `--plan-out` and `--audit-log`: how `refonte run` treats writes.
struct WriteFlags: ParsableArguments {
    @Flag(
        name: .customLong("dry-run"),
        help: """
            Send no write: reads go to the API, writes are answered with what they would \
            return (ids and the like print as "(known after apply)") and listed in a plan on \
            standard error. Also REFONTE_DRY_RUN=1.
            """
    )
    var dryRun = false

    @Option(
        name: .customLong("plan-out"),
        help: ArgumentHelp(
            "With --dry-run, also write the plan to PATH for `refonte apply PATH` (format: docs/plans.md).",
            valueName: "path"
        )
    )
    var planOut: String?

    @OptionGroup var audit: AuditLogFlag

    var settings: WriteSettings { WriteSettings(dryRun: dryRun, planOut: planOut, auditLog: audit.path) }

    func validate() throws { try settings.validate() }
}

/// What `--dry-run`, `--plan-out` and `--audit-log` settled, whichever parser read them.
struct WriteSettings: Equatable {
    var dryRun = false
    var planOut: String?
    var auditLog: String?

    /// `--dry-run`, or REFONTE_DRY_RUN set to 1/true/yes.
    func isDryRun(environment: [String: String]) throws -> Bool {
        if dryRun { return true }
        guard let value = environment["REFONTE_DRY_RUN"] else { return false }
        switch value.lowercased() {
        case "1", "true", "yes", "on": return true
        case "", "0", "false", "no", "off": return false
        default: throw ValidationError("REFONTE_DRY_RUN: expected 1 or 0, got \"\(value)\"")
        }
    }

    func validate() throws {
        if let planOut, planOut.isEmpty {
            throw ValidationError("--plan-out: expected a path, got an empty string")
        }
        try AuditLogFlag.validate(auditLog)
    }

    var auditPath: String { AuditLogFlag.resolvedPath(auditLog) }
}

/// `--audit-log PATH`, shared by the commands that write or read the audit log.
struct AuditLogFlag: ParsableArguments {
    @Option(
        name: .customLong("audit-log"),
        help: ArgumentHelp(
            "Record writes in this file (default: $XDG_STATE_HOME/refonte/audit.jsonl, else ~/.local/state/refonte/audit.jsonl).",
            valueName: "path"
        )
    )
    var path: String?

    func validate() throws { try Self.validate(path) }

    static func validate(_ path: String?) throws {
        if let path, path.isEmpty {
            throw ValidationError("--audit-log: expected a path, got an empty string")
        }
    }

    var resolvedPath: String { Self.resolvedPath(path) }

    /// The file the audit log is in: `path`, else the default.
    static func resolvedPath(_ path: String?) -> String { path ?? AuditLog.defaultPath() }
}

/// `--rate` and `--burst`: the client's pace for one run, over the profile's `rate_limit`.
struct PacingFlags: ParsableArguments {
    @Option(
        name: .customLong("rate"),
        help: ArgumentHelp(
            "Requests per second or minute for this run, like 50/s or 600/m, or off (default: the profile's rate_limit, else 20/s; the embedded sandbox too).",
            valueName: "rate"
        )
    )
    var rate: String?

    @Option(
        name: .customLong("burst"),
        help: ArgumentHelp(
            "How many requests may go at once after a pause (default: one second's worth).",
            valueName: "n"
        )
    )
    var burst: Int?

    var settings: PacingSettings { PacingSettings(rate: rate, burst: burst) }

    func validate() throws { try settings.validate() }
}

/// What `--rate` and `--burst` settled, whichever parser read them.
struct PacingSettings: Equatable {
    var rate: String?
    var burst: Int?

    func validate() throws {
        if let burst, burst < 1 {
            throw ValidationError("--burst: expected a whole number of at least 1, got \(burst)")
        }
        if let rate {
            do {
                if try RateLimit.parse(rate) == nil, burst != nil {
                    throw ValidationError("--burst: there is no burst with --rate off")
                }
            } catch let error as RateLimit.ParseError {
                throw ValidationError("--rate: \(error)")
            }
        }
    }

    /// The limit in effect: `--rate`/`--burst` over `configured`.
    func limit(over configured: RateLimit?) throws -> RateLimit? {
        var limit = configured
        if let rate { limit = try RateLimit.parse(rate) }
        if let burst, let base = limit { limit = RateLimit(perSecond: base.perSecond, burst: burst) }
        return limit
    }
}

/// `--output text|json` of `run` and `apply`: how the closing summary is printed.
struct SummaryOutputFlag: ParsableArguments {
    @Option(
        name: .customLong("output"),
        help: ArgumentHelp(
            "The closing summary: text (on standard error) or json (one object on standard output, after the script's output).",
            valueName: "format"
        )
    )
    var format: SummaryFormat = .text
}

/// How the closing summary is printed.
enum SummaryFormat: String, ExpressibleByArgument, CaseIterable {
    /// On standard error, for people.
    case text
    /// One JSON object on standard output, after the script's own output.
    case json
}
