import ArgumentParser
import Foundation
import Logging
import RefonteAPI
import RefonteSandbox
import RefonteScripting

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Apply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make exactly the writes of a plan saved by `refonte run --dry-run --plan-out`.",
        discussion: """
            The plan's writes are made in order, and nothing else: the script does not run \
            again. Unknown values of the dry run ("known after apply") are filled in from the \
            answers of earlier writes.

            Before any write, every read the script made is sent again; if an answer changed \
            since the plan was made, nothing is applied and the reads that drifted are named \
            (--force skips this check). On a terminal, the plan is shown and confirmation is \
            asked (--yes skips it); without a terminal, --yes is required. Progress is shown \
            per write; the first failing write stops the apply, and the report says which \
            writes were made and which were not.

            A plan is refused when it was made for another base URL or profile than the one in \
            use, when it is malformed or of an unknown version, when it has writes that cannot \
            be made as planned, and when the audit log shows it was applied already.

            Examples:
              refonte run --dry-run --plan-out plan.json onboard.lua -- labelers.csv
              refonte apply plan.json
              refonte apply --yes --output json plan.json

            Exit codes:
              0  every write was made
              1  a write failed (the report says which were made), or the plan was refused
              2  usage error: bad flags, a malformed plan, no --yes in a pipe

            Environment: as for `refonte run` (REFONTE_API_KEY, REFONTE_PROFILE, XDG_STATE_HOME, …).
            """
    )

    @Argument(help: ArgumentHelp("The plan file.", valueName: "plan"))
    var planPath: String

    @Flag(help: "Apply without asking for confirmation (required when standard input is not a terminal).")
    var yes = false

    @Flag(help: "Apply even if reads the plan was based on now answer differently.")
    var force = false

    @OptionGroup(title: "API") var credentials: CredentialFlags

    @Flag(help: "Apply to the embedded sandbox even when an API key is configured.")
    var sandbox = false

    @OptionGroup var audit: AuditLogFlag

    @OptionGroup(title: "Pacing") var pacing: PacingFlags

    @OptionGroup var output: SummaryOutputFlag

    mutating func run() async throws {
        let started = ContinuousClock.now
        let logger = Logger(label: "refonte.apply")
        let plan: Plan
        do {
            plan = try PlanFile.read(planPath)
        } catch {
            refuse("\(planPath): \(error)", code: 2)
        }
        if !plan.problems.isEmpty {
            refuse(
                "\(planPath) has writes that cannot be made as planned:\n"
                    + plan.problems.map { "  \($0)" }.joined(separator: "\n")
            )
        }

        var resolved: ResolvedCredentials
        do {
            resolved = try CredentialResolver.resolve(credentials.options, logger: logger)
            resolved.rateLimit = try pacing.settings.limit(over: resolved.rateLimit)
        } catch {
            refuse("\(error)", code: 2)
        }
        let target: RunTarget =
            !sandbox && resolved.apiKey != nil
            ? .account(baseURL: resolved.baseURL.absoluteString)
            : .embeddedSandbox(database: SandboxConfiguration.defaultDatabasePath())
        guard plan.target.isSame(as: target) else {
            refuse(
                "\(planPath) was made for \(plan.target), and this apply would go to \(target); "
                    + "use the profile, key or --base-url (or --sandbox) the plan was made with"
            )
        }
        guard plan.profile == resolved.profile else {
            refuse(
                "\(planPath) was made with profile \(plan.profile.map { "\"\($0)\"" } ?? "none"), and this apply uses "
                    + "\(resolved.profile.map { "\"\($0)\"" } ?? "none"); give --profile to match"
            )
        }
        let auditLog = AuditLog(path: audit.resolvedPath)
        try refuseIfApplied(plan, log: auditLog)

        let key = resolved.apiKey
        let connection: ScriptConnection
        do {
            connection = try ScriptConnection.make(
                credentials: resolved,
                forceSandbox: sandbox,
                explicitBaseURL: credentials.baseURL != nil,
                session: { target in
                    RunSession(
                        context: RunContext(
                            script: plan.script,
                            profile: resolved.profile,
                            target: target,
                            planID: plan.id
                        ),
                        audit: auditLog,
                        redacting: key,
                        logger: logger
                    )
                },
                logger: logger
            )
        } catch {
            refuse("\(error)", code: 2)
        }
        let api = connection.connection
        let applier = PlanApplier(plan: plan, session: api.session)
        let report = RunReport(
            session: api.session,
            started: started,
            rateLimit: resolved.rateLimit,
            format: output.format,
            command: "apply"
        )
        let interactive = isatty(STDIN_FILENO) == 1
        let confirm = !yes
        let (force, planPath) = (self.force, self.planPath)
        if confirm, !interactive {
            await api.close()
            refuse(
                "standard input is not a terminal: give --yes to apply \(planPath) without confirmation",
                code: 2
            )
        }

        let outcome: PlanApplier.Outcome? = await {
            if !force {
                let drifted = await applier.drift { await api.deliver($0) }
                if !drifted.isEmpty {
                    var message =
                        "\(planPath) is stale: \(drifted.count) of the \(plan.reads.count) reads it was based on answer differently now, so nothing was applied (--force applies anyway):"
                    for drift in drifted {
                        message +=
                            "\n  refonte.\(drift.read.request.operationID) \(drift.read.display): \(drift.now)"
                    }
                    Self.say(message)
                    return nil
                }
            }
            if confirm {
                Self.say(plan.text, prefix: false)
                let what = plan.writes.count == 1 ? "this write" : "these \(plan.writes.count) writes"
                guard Self.confirmed("Apply \(what) to \(target)? Type yes to go on: ") else {
                    Self.say("nothing was applied")
                    return nil
                }
            }
            let total = plan.writes.count
            return await applier.apply(send: { await api.deliver($0) }) { progress in
                switch progress {
                case .sending:
                    break
                case .made(let write, let attempts):
                    Self.say(
                        "[\(write.index)/\(total)] refonte.\(write.request.operationID) \(plan.readable(write.request.display)) done"
                            + (attempts > 1 ? " (after \(attempts) attempts)" : ""),
                        prefix: false
                    )
                }
            }
        }()
        await api.close()
        guard let outcome else {
            try? report.finish(status: .failed)
            throw ExitCode(1)
        }
        if outcome.isComplete {
            Self.say("applied \(plan.writes.count) write\(plan.writes.count == 1 ? "" : "s") of \(plan.id)")
            try report.finish(status: .ok)
            return
        }
        var message = "stopped"
        if let failed = outcome.failed {
            message +=
                " at write \(failed.index) of \(plan.writes.count) (refonte.\(failed.request.operationID) "
                + "\(plan.readable(failed.request.display))): \(outcome.failure ?? "failed")"
        }
        message += "\n  made: " + Self.list(outcome.made)
        message += "\n  not made: " + Self.list((outcome.failed.map { [$0] } ?? []) + outcome.notMade)
        message += "\n  Do not apply this plan again: make a new one with `refonte run --dry-run --plan-out`."
        Self.say(message)
        try? report.finish(status: .failed)
        throw ExitCode(1)
    }

    /// Refuses a plan the audit log shows applied (wholly or in part) before.
    private func refuseIfApplied(_ plan: Plan, log: AuditLog) throws {
        let entries: [AuditEntry]
        do {
            entries = try AuditEntry.all(in: log.path)
        } catch {
            refuse("\(error); cannot tell whether \(planPath) was applied before")
        }
        let applied = entries.filter { $0.string("plan_id") == plan.id && !$0.dryRun }
        guard let first = applied.first else { return }
        let made = applied.filter { $0.string("outcome") == "applied" }.count
        refuse(
            "\(planPath) (\(plan.id)) was applied before: run \(first.string("run_id") ?? "?") at "
                + "\(first.string("time") ?? "?") made \(made) of its \(plan.writes.count) writes "
                + "(audit log \(log.path), line \(first.line)); make a new plan to go again"
        )
    }

    private static func list(_ writes: [PlannedWrite]) -> String {
        writes.isEmpty ? "none" : writes.map { String($0.index) }.joined(separator: ", ")
    }

    private func refuse(_ message: String, code: Int32 = 1) -> Never {
        Self.say(message)
        Apply.exit(withError: ExitCode(code))
    }

    static func say(_ message: String, prefix: Bool = true) {
        var standardError = StandardError()
        print(
            (prefix ? "refonte apply: " : "") + message,
            terminator: message.hasSuffix("\n") ? "" : "\n",
            to: &standardError
        )
    }

    /// Asks on standard error and reads the answer from standard input.
    private static func confirmed(_ question: String) -> Bool {
        var standardError = StandardError()
        print(question, terminator: "", to: &standardError)
        guard let answer = readLine() else { return false }
        return ["yes", "y"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
