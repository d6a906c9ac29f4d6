/// The exit codes of `refonte run`, declared once: the tool's own, and those a script may
/// choose with `os.exit(code)`.
///
/// A script's code must never be mistaken for one of the tool's, so that cron, CI or the
/// scheduler can tell "the script decided" from "the tool refused" or "a limit stopped it".
public enum ExitCodes {
    /// The script finished (or called `os.exit(0)`).
    public static let success: Int32 = 0
    /// The script raised an error, or the run could not start (credentials refused).
    public static let failure: Int32 = 1
    /// A usage error: a bad flag or value, a missing script.
    public static let usage: Int32 = 2
    /// A limit stopped the script (`--timeout`, `--max-memory`).
    public static let limit: Int32 = 3

    /// Codes a script cannot choose: 2 to 9 are refonte's (2 and 3 in use, the rest kept for
    /// later), and shells read 126 and above as "cannot run", "not found" and signals.
    public static let reserved: [ClosedRange<Int32>] = [2...9, 126...255]

    /// The codes a script may choose, as the docs and errors say them.
    public static let allowedForScripts = "0, 1 or 10 to 125"

    /// Why a script may not exit with `code`, or nil when it may.
    public static func refusal(forScript code: Int64) -> String? {
        guard (0...255).contains(code) else {
            return "exit code \(code) is out of range; use \(allowedForScripts)"
        }
        guard reserved.contains(where: { $0.contains(Int32(code)) }) else { return nil }
        return "exit code \(code) is reserved for refonte (2 usage error, 3 limit exceeded, 4 to 9 kept, "
            + "126 and above for the shell); use \(allowedForScripts)"
    }
}
