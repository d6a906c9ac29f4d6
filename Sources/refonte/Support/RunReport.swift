import ArgumentParser
import Foundation
import RefonteAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The end of a run, whatever ended it: the plan of a dry run (on standard error, and in the
/// `--plan-out` file), then the summary.
struct RunReport {
    let session: RunSession
    let started: ContinuousClock.Instant
    let rateLimit: RateLimit?
    var planOut: String?
    let format: SummaryFormat
    var command = "run"

    init(
        session: RunSession,
        started: ContinuousClock.Instant,
        rateLimit: RateLimit?,
        planOut: String? = nil,
        format: SummaryFormat,
        command: String = "run"
    ) {
        self.session = session
        self.started = started
        self.rateLimit = rateLimit
        self.planOut = planOut
        self.format = format
        self.command = command
    }

    /// Prints the plan and the summary; throws exit status 1 when the plan file could not be
    /// written (after saying so).
    func finish(status: RunSummary.Status) throws {
        var standardError = StandardError()
        var planFile: String?
        var planFailure: String?
        if let plan = session.plan() {
            print(plan.text, terminator: "", to: &standardError)
            if let planOut, status != .ok {
                // What a script planned before it failed is not what it would do: not a plan
                // anyone should apply.
                print(
                    "refonte: the script did not finish, so no plan was written to \(planOut)",
                    to: &standardError
                )
            } else if let planOut {
                do {
                    try PlanFile.write(plan, to: planOut)
                    planFile = planOut
                } catch {
                    planFailure = "cannot write the plan to \(planOut): \(error)"
                }
            }
        }
        let summary = RunSummary(
            command: command,
            session: session,
            status: status,
            elapsed: ContinuousClock.now - started,
            rateLimit: rateLimit,
            planFile: planFile
        )
        switch format {
        case .json:
            print(summary.json.jsonText)
            flushStandardOutput()
        case .text:
            // A run that called nothing has nothing to account for.
            if summary.totalCalls > 0 || session.mode == .dryRun {
                print(summary.text, terminator: "", to: &standardError)
            }
        }
        if let planFailure {
            print("refonte: \(planFailure)", to: &standardError)
            throw ExitCode(1)
        }
    }
}

/// Plan files: written whole or not at all (a temporary file renamed into place), mode 0600
/// since they may hold people's e-mail addresses.
enum PlanFile {
    static func write(_ plan: Plan, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        guard
            FileManager.default.createFile(
                atPath: temporary,
                contents: Data(plan.encoded()),
                attributes: [.posixPermissions: 0o600]
            )
        else {
            throw PlanFileError(String(cString: strerror(errno)))
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw PlanFileError(reason)
        }
    }

    static func read(_ path: String) throws -> Plan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PlanFileError("cannot read it (missing, or not readable)")
        }
        return try Plan.decode(Array(data))
    }
}

struct PlanFileError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
