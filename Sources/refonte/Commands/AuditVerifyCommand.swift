import ArgumentParser
import Foundation
import RefonteAPI

struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the audit log's hash chain; name the first line that breaks it.",
        discussion: """
            Exit status 0 when every line is intact and follows the one before it; 1, naming the \
            line, when one was edited, inserted or deleted (or the file cannot be read). Lines \
            cut from the end leave an intact chain: keep the printed last hash to check that later.

            Examples:
              refonte audit verify
              refonte audit verify /var/log/refonte/audit.jsonl
            """
    )

    @Argument(
        help: ArgumentHelp(
            "The log to check (default: --audit-log, else the default log).",
            valueName: "path"
        )
    )
    var path: String?

    @OptionGroup var audit: AuditLogFlag

    func run() throws {
        let file = path ?? audit.resolvedPath
        let report: AuditVerifier.Report
        do {
            report = try AuditVerifier.verify(path: file)
        } catch {
            OpsOutput.error("refonte audit verify: \(error)")
            throw ExitCode(1)
        }
        if let problem = report.problem {
            OpsOutput.error("refonte audit verify: \(file): line \(problem.line): \(problem.reason)")
            throw ExitCode(1)
        }
        OpsOutput.print(
            "\(file): \(report.lines) record\(report.lines == 1 ? "" : "s"), chain intact; last hash \(report.lastHash)"
        )
    }
}
