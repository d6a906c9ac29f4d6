import ArgumentParser
import Foundation
import Logging
import LuaRuntime
import RefonteAPI
import RefonteScripting

extension RunRequest {
    /// Runs the script, prints its summary, and ends with its exit code (`ExitCode`).
    func run() async throws {
        let started = ContinuousClock.now
        let logger = Logger(label: "refonte.run")
        let setup = try ScriptSetup.make(
            credentials: credentials,
            sandbox: sandbox,
            sandboxDatabase: sandboxDatabase,
            writes: writes,
            pacing: pacing,
            logger: logger
        )
        let connection = setup.connection
        let rateLimit = setup.resolved.rateLimit
        let session = connection.connection.session
        let source: ScriptRun.Source =
            if let code { .code(code) } else if script == "-" { .standardInput } else { .file(script ?? "") }
        let scriptArguments = arguments
        let display = ProgressDisplay.make(progress)
        let configuration = ScriptRun(
            source: source,
            arguments: arguments,
            commandLine: commandLineBeforeScript,
            limits: jail.limits,
            permissions: jail.permissions(protectedPaths: setup.protectedPaths),
            extensions: [
                APIExtension(
                    connection: connection.connection,
                    facts: connection.facts,
                    progress: display ?? SilentProgress()
                ),
                LogExtension(logger: Logger(label: "script")),
                CSVExtension(),
            ],
            onLoad: { name, source in
                session.setScript(ScriptIdentity(path: name, source: source, arguments: scriptArguments))
            }
        )
        let runner = ScriptRunner(logger: logger)
        let summaryOut = summaryOut
        func summarize(_ exitCode: Int32) {
            guard let summaryOut else { return }
            let elapsed = ContinuousClock.now - started
            RunSummaryFile.write(
                to: summaryOut,
                exitCode: exitCode,
                counts: connection.connection.callCounts,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            )
        }
        let report = RunReport(
            session: session,
            started: started,
            rateLimit: rateLimit,
            planOut: writes.planOut,
            format: output
        )
        do {
            try await runner.run(configuration)
            display?.close()
            await connection.connection.close()
            flushStandardOutput()
            try report.finish(status: .ok)
            summarize(0)
        } catch let error as ScriptFailure {
            display?.close()
            await connection.connection.close()
            flushStandardOutput()
            let code: Int32
            switch error {
            case .exit(ExitCodes.success):
                try report.finish(status: .ok)
                summarize(ExitCodes.success)
                return
            case .exit(let chosen):
                code = chosen
            case .script(let failure):
                Run.report(failure.description)
                code = 1
            case .limit(let failure):
                Run.report(
                    "script stopped: \(failure.message)"
                        + (failure.traceback.isEmpty ? "" : "\n" + failure.traceback)
                )
                code = 3
            case .setup(let message):
                Run.report(message)
                code = 1
            }
            // A failed dry run still shows (and saves) what it had planned so far.
            try? report.finish(status: code == ExitCodes.limit ? .stopped : .failed)
            summarize(code)
            throw ExitCode(code)
        }
    }
}
