import Foundation
import Logging
import RefonteAPI

/// One line per record on standard error: `info: invited count=3 file=labelers.csv`.
///
/// Standard output stays the script's own. The level comes from `REFONTE_LOG_LEVEL`
/// (trace, debug, info, notice, warning or warn, error, critical; default info). At debug a
/// run shows one line per API attempt (method, path, status, duration, attempt, bytes); the
/// libraries' own logs, and the embedded sandbox's, appear at trace.
struct TerminalLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level

    init(label: String, level: Logger.Level) {
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    static func bootstrap(environment: [String: String] = ProcessEnvironment.current) {
        let (level, problem) = level(from: environment["REFONTE_LOG_LEVEL"])
        LoggingSystem.bootstrap {
            TerminalLogHandler(label: $0, level: Self.level(for: $0, requested: level))
        }
        // A misspelt level must not stop a scheduled run, but it must not pass unseen either.
        if let problem { Logger(label: "refonte").warning("\(problem)") }
    }

    /// refonte's own loggers (and the script's `log`) log at the level asked for; those of the
    /// libraries it uses (NIO, async-http-client, Hummingbird, GRDB) only at trace, where their
    /// internal detail is wanted, and otherwise only their errors.
    static func level(for label: String, requested: Logger.Level) -> Logger.Level {
        let own = label == "refonte" || label.hasPrefix("refonte.") || label == "script"
        if own || requested == .trace { return requested }
        return max(requested, .error)
    }

    /// The level named by `REFONTE_LOG_LEVEL`, or info and what was wrong with the name.
    static func level(from name: String?) -> (Logger.Level, problem: String?) {
        guard let name, !name.isEmpty else { return (.info, nil) }
        let lowered = name.lowercased()
        if lowered == "warn" { return (.warning, nil) }
        if let level = Logger.Level(rawValue: lowered) { return (level, nil) }
        let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
        return (.info, "REFONTE_LOG_LEVEL: expected one of \(names), got \"\(name)\"; using info")
    }

    func log(event: LogEvent) {
        var line = "\(event.level == .warning ? "warn" : event.level.rawValue): \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for key in merged.keys.sorted() {
            line += " \(key)=\(Self.quoted("\(merged[key]!)"))"
        }
        // Through the status line, so a progress bar is redrawn below the line, not over it.
        StatusLine.standardError.write(lines: line + "\n")
    }

    private static func quoted(_ value: String) -> String {
        let plain = !value.isEmpty && !value.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
        if plain { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }
}
