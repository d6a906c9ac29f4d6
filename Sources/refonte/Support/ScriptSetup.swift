import ArgumentParser
import Foundation
import Logging
import RefonteAPI

/// What `refonte run` and `refonte repl` settle before any Lua runs: the credentials (with
/// `--rate`/`--burst` over the profile's pace), whether writes are planned, and the connection
/// whose session audits every write and, in a dry run, plans them. A failure is reported on
/// standard error and ends the command with its exit status (2 for usage, 1 for credentials).
struct ScriptSetup {
    var resolved: ResolvedCredentials
    var connection: ScriptConnection

    /// Out of every grant: the key file in use, the config folder, /proc.
    var protectedPaths: [String] { ProtectedPaths.forRun(resolved) }

    static func make(
        credentials: CredentialOptions,
        sandbox: Bool,
        sandboxDatabase: String? = nil,
        writes: WriteSettings,
        pacing: PacingSettings,
        logger: Logger
    ) throws(ExitCode) -> ScriptSetup {
        do {
            let dryRun = try writes.isDryRun(environment: ProcessEnvironment.current)
            if writes.planOut != nil, !dryRun {
                throw ValidationError("--plan-out needs --dry-run: only a dry run makes a plan")
            }
            var resolved = try CredentialResolver.resolve(credentials, logger: logger)
            resolved.rateLimit = try pacing.limit(over: resolved.rateLimit)
            let audit = AuditLog(path: writes.auditPath)
            let settled = resolved
            let connection = try ScriptConnection.make(
                credentials: settled,
                forceSandbox: sandbox,
                sandboxDatabase: sandboxDatabase,
                explicitBaseURL: credentials.baseURL != nil,
                dryRun: dryRun,
                session: { target in
                    RunSession(
                        mode: dryRun ? .dryRun : .live,
                        context: RunContext(profile: settled.profile, target: target),
                        audit: audit,
                        redacting: settled.apiKey,
                        logger: logger
                    )
                },
                logger: logger
            )
            return ScriptSetup(resolved: settled, connection: connection)
        } catch let error as ValidationError {
            Run.report(error.message)
            throw ExitCode(2)
        } catch let error as CredentialsError {
            Run.report(error.description)
            throw ExitCode(error.kind == .usage ? 2 : 1)
        } catch {
            Run.report("\(error)")
            throw ExitCode(2)
        }
    }
}
