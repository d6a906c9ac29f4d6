import RefonteScripting

/// Every environment variable refonte reads, with what it does: the one list `refonte --help`,
/// `refonte run --help` and the README show (a test checks the code reads no other).
enum EnvironmentHelp {
    struct Variable {
        let names: String
        let meaning: String
        /// Shown in `refonte run --help` too.
        let run: Bool
    }

    static let variables: [Variable] = [
        Variable(names: "REFONTE_API_KEY", meaning: "the API key (after --api-key-file)", run: true),
        Variable(
            names: "REFONTE_PROFILE",
            meaning: "the profile of config.toml (default: default)",
            run: true
        ),
        Variable(names: "REFONTE_BASE_URL", meaning: "the API's base URL (after --base-url)", run: true),
        Variable(names: "REFONTE_DRY_RUN", meaning: "1 is the same as --dry-run", run: true),
        Variable(
            names: "REFONTE_LOG_LEVEL",
            meaning: "trace, debug, info (default), warning, error",
            run: true
        ),
        Variable(
            names: "REFONTE_CA_FILE",
            meaning: "also trust this CA (PEM); `ca_file` in a profile",
            run: true
        ),
        Variable(
            names: "SSL_CERT_FILE",
            meaning: "the CA bundle that stands for the system's store",
            run: true
        ),
        Variable(
            names: "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY",
            meaning: "a proxy for https:// / http:// / any URL (lower-case names too)",
            run: true
        ),
        Variable(names: "NO_PROXY", meaning: "hosts reached directly (example.com,10.0.0.0/8)", run: true),
        Variable(
            names: "REFONTE_SCHEDULER_STORE",
            meaning: "the scheduler's store when --store is not given",
            run: false
        ),
        Variable(
            names: "PGUSER, PGPASSWORD",
            meaning: "PostgreSQL user and password a store URL leaves out",
            run: false
        ),
        Variable(
            names: "XDG_CONFIG_HOME",
            meaning: "config.toml's folder's parent (default ~/.config)",
            run: true
        ),
        Variable(
            names: "XDG_DATA_HOME",
            meaning: "the sandbox's and scheduler's data (default ~/.local/share)",
            run: true
        ),
        Variable(
            names: "XDG_STATE_HOME",
            meaning: "the audit log's folder (default ~/.local/state)",
            run: true
        ),
        Variable(names: "HOME, USER", meaning: "the defaults above; USER as PostgreSQL's user", run: false),
        Variable(
            names: "NO_COLOR, TERM, COLUMNS",
            meaning:
                "no colour in pp and the REPL (NO_COLOR set, TERM=dumb); no progress bar with TERM=dumb; pp's width",
            run: true
        ),
    ]

    /// The "Environment:" block of a help text.
    /// Lines of at most 78 characters: ArgumentParser rewraps longer ones without their indent.
    static func text(forRun: Bool = false) -> String {
        let rows = variables.filter { !forRun || $0.run }.map { [$0.names, $0.meaning] }
        let table = TextTable.render(rows, indent: "  ", width: 78, wrapping: [0, 1])
        return "Environment:\n" + table.dropLast()
    }
}
