import ArgumentParser

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check or read the audit log: one hash-chained JSON line per write, made or planned.",
        discussion: """
            Every write of `refonte run` and `refonte apply` (and every write a dry run plans) \
            is recorded with its time, run, script, target, arguments (secrets redacted), \
            status, attempts, unique_id, dry-run flag and plan. Each line carries the hash of \
            the line before it, so an edited, inserted or deleted line shows.

            Default file: $XDG_STATE_HOME/refonte/audit.jsonl, else ~/.local/state/refonte/audit.jsonl.
            """,
        subcommands: [AuditVerifyCommand.self, AuditShowCommand.self],
        defaultSubcommand: AuditShowCommand.self
    )
}
