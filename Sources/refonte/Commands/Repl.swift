import ArgumentParser
import Foundation
import Logging
import RefonteAPI
import RefonteREPL
import RefonteScripting

struct Repl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "An interactive Lua shell for ad-hoc API work.",
        discussion: """
            Type Lua. An expression prints its value, a statement runs; a statement that is not \
            finished continues on the next line (>>). Every API operation is a function below \
            `refonte`, as in scripts:
              > refonte.teams.list()
              > local team = refonte.teams.list()
              > #team
              > pp(refonte.projects.get { project = "Street Scenes" }, { depth = 2 })

            Results are kept in _1, _2, …; locals and globals stay from one statement to the \
            next. Tab completes names, refonte.… paths, the arguments of an operation inside \
            its braces and project names after `project = "`. Ctrl-C stops the running \
            statement (an API call in flight included) and keeps the session; Ctrl-D leaves. \
            `.help` lists the dot-commands: .help OPERATION, .profile, .load FILE, .dry on|off, \
            .plan [FILE], .exit.

            `.dry on` makes the session a dry run, as `refonte run --dry-run` is one: reads go \
            to the API, writes are answered with what they would return (unknown values print \
            as (known after apply)) and planned; the prompt reads `dry>`. `.plan` shows the \
            plan, `.plan FILE` saves it for `refonte apply FILE`, `.dry off` sends writes again \
            (a planned value passed to a live call is refused, never sent). Every write, made \
            or planned, goes to the audit log.

            Statements run as a script does under `refonte run`: the same jail (--allow-read, \
            --allow-write, --allow-env; no grant reaches the API key), the same credentials and \
            the embedded sandbox when no key is configured. --timeout applies to each \
            statement, --max-memory to the whole session.

            The history is kept in $XDG_STATE_HOME/refonte/repl_history (default \
            ~/.local/state/refonte/repl_history), readable by you only. A line that holds the \
            API key, or that starts with a space, is not recorded.

            At a terminal, lines are edited with libedit (Debian: libedit2), which only the \
            REPL loads. Without a terminal it reads statements from standard input and prints \
            their results, with no prompts and no colour (libedit is not needed):
              refonte repl < statements.lua
              echo 'refonte.teams.list()' | refonte repl
              refonte repl --dry-run --plan-out plan.json < onboarding.lua

            Exit codes (at a terminal the session goes on after an error, and ends with 0):
              0  the session ended
              1  a statement raised an error, or did not compile
              2  usage error, or the session could not start
              3  a limit stopped a statement (--timeout or --max-memory)

            Environment:
              REFONTE_PROFILE, REFONTE_API_KEY   where calls go (see `refonte run --help`)
              REFONTE_DRY_RUN                    1 is the same as --dry-run
              XDG_STATE_HOME                     the history's and the audit log's folder
              NO_COLOR                           no colour in results
              REFONTE_LOG_LEVEL                  trace, debug, info (default), warning, error
            """
    )

    @OptionGroup var jail: JailFlags

    @OptionGroup(title: "API") var credentials: CredentialFlags

    @Flag(help: "Send API calls to the embedded sandbox even when an API key is configured.")
    var sandbox = false

    @OptionGroup(title: "Writes") var writes: WriteFlags

    @OptionGroup(title: "Pacing") var pacing: PacingFlags

    @Flag(name: .customLong("no-history"), help: "Neither read nor write the history file.")
    var noHistory = false

    mutating func run() async throws {
        let logger = Logger(label: "refonte.repl")
        // One session for the whole REPL: `.dry on|off` switches its mode, `.plan` shows its plan.
        let setup = try ScriptSetup.make(
            credentials: credentials.options,
            sandbox: sandbox,
            writes: writes.settings,
            pacing: pacing.settings,
            logger: logger
        )
        let (resolved, connection) = (setup.resolved, setup.connection)
        let key = resolved.apiKey
        let configuration = REPLConfiguration(
            limits: jail.settings.limits,
            permissions: jail.settings.permissions(protectedPaths: setup.protectedPaths),
            extensions: [
                APIExtension(connection: connection.connection, facts: connection.facts),
                LogExtension(logger: Logger(label: "script")),
                CSVExtension(),
            ],
            connection: connection.connection,
            destination: destination(resolved),
            redact: { text in key?.redacting(text) ?? text },
            holdsSecret: { text in key.map { $0.redacting(text) != text } ?? false },
            historyPath: noHistory ? nil : REPL.defaultHistoryPath(),
            savePlan: { plan, path in try PlanFile.write(plan, to: path) }
        )
        let status = await REPL.run(configuration, logger: logger)
        await connection.connection.close()
        flushStandardOutput()
        var planFailed = false
        if let planOut = writes.planOut, let plan = connection.connection.session.plan() {
            do {
                try PlanFile.write(plan, to: planOut)
                let count = plan.writes.count
                Run.report("the session's plan (\(count) write\(count == 1 ? "" : "s")) is in \(planOut)")
            } catch {
                Run.report("cannot write the plan to \(planOut): \(error)")
                planFailed = true
            }
        }
        if status != .ok { throw ExitCode(status.code) }
        if planFailed { throw ExitCode(1) }
    }

    private func destination(_ resolved: ResolvedCredentials) -> REPLConfiguration.Destination {
        if let key = resolved.apiKey, !sandbox {
            return REPLConfiguration.Destination(
                profile: resolved.profile,
                baseURL: "\(resolved.baseURL.absoluteString) (\(resolved.baseURLSource))",
                sandboxReason: nil,
                key: "\(key.masked) (\(key.mode.rawValue) mode), from \(resolved.source)"
            )
        }
        return REPLConfiguration.Destination(
            profile: resolved.profile,
            baseURL: nil,
            sandboxReason: sandbox ? "--sandbox" : "no API key is configured",
            key: resolved.apiKey == nil ? "none configured" : "not used (--sandbox)"
        )
    }
}
