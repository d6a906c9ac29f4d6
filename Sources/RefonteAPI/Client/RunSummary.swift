import Foundation

/// The account of a run printed at its end: calls by operation, retries, time throttled,
/// writes made or planned, the files written. On standard error as text, or on standard output
/// as one JSON object (`--output json`).
public struct RunSummary: Sendable {
    public enum Status: String, Sendable {
        case ok
        /// The script (or a write of `refonte apply`) failed.
        case failed
        /// A limit stopped it.
        case stopped
    }

    public var command: String
    public var runID: String
    public var dryRun: Bool
    public var status: Status
    public var elapsed: Duration
    public var calls: [String: Int]
    public var retries: Int
    public var recoveries: Int
    public var throttled: Duration
    /// `20/s (burst 20)`, or nil when the client had no limit.
    public var rateLimit: String?
    public var writes: RunSession.Writes
    public var planID: String?
    public var planFile: String?
    public var auditLog: String?
    public var auditFailures: [String]

    public init(
        command: String,
        session: RunSession,
        status: Status,
        elapsed: Duration,
        rateLimit: RateLimit?,
        planFile: String? = nil
    ) {
        let statistics = session.statistics.snapshot()
        self.command = command
        self.runID = session.context.runID
        self.dryRun = session.mode == .dryRun
        self.status = status
        self.elapsed = elapsed
        self.calls = session.calls
        self.retries = statistics.retries
        self.recoveries = statistics.recoveries
        self.throttled = statistics.throttled
        self.rateLimit = rateLimit?.description
        self.writes = session.writes
        self.planID = session.context.planID
        self.planFile = planFile
        self.auditLog = session.audit?.path
        self.auditFailures = session.auditFailures
    }

    public var totalCalls: Int { calls.values.reduce(0, +) }

    /// Operations by number of calls, most first, then by name.
    private var rankedCalls: [(String, Int)] {
        calls.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    }

    /// Lines for standard error.
    public var text: String {
        var lines = [
            "refonte: \(command) \(runID) \(status == .ok ? "finished" : status.rawValue) in \(Self.seconds(elapsed))"
        ]
        func row(_ label: String, _ value: String) {
            lines.append("  " + label.padding(toLength: 10, withPad: " ", startingAt: 0) + " " + value)
        }
        let callList = rankedCalls.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
        row("calls", "\(totalCalls)" + (callList.isEmpty ? "" : ": " + callList))
        var retryText = "\(retries)"
        if recoveries > 0 {
            retryText +=
                " (\(recoveries) write\(recoveries == 1 ? "" : "s") found to have taken effect before a lost answer)"
        }
        row("retries", retryText)
        row(
            "throttled",
            rateLimit.map { "\(Self.seconds(throttled)) waiting on the rate limit of \($0)" }
                ?? "no client rate limit (--rate off)"
        )
        if dryRun {
            row("writes", "\(writes.planned) planned, none sent (dry run)")
        } else {
            row("writes", "\(writes.made) made" + (writes.failed > 0 ? ", \(writes.failed) failed" : ""))
        }
        if let planFile { row("plan", planFile + (planID.map { " (\($0))" } ?? "")) }
        if let auditLog, writes.made + writes.failed + writes.planned > 0 { row("audit log", auditLog) }
        for failure in auditFailures { row("NOT AUDITED", failure) }
        return lines.joined(separator: "\n") + "\n"
    }

    public var json: JSONValue {
        .object([
            "command": .string(command),
            "run_id": .string(runID),
            "dry_run": .bool(dryRun),
            "status": .string(status.rawValue),
            "elapsed_seconds": .double(Self.rounded(elapsed)),
            "calls": .object(calls.mapValues { .integer(Int64($0)) }),
            "calls_total": .integer(Int64(totalCalls)),
            "retries": .integer(Int64(retries)),
            "recoveries": .integer(Int64(recoveries)),
            "throttled_seconds": .double(Self.rounded(throttled)),
            "rate_limit": rateLimit.map(JSONValue.string) ?? .null,
            "writes": .object([
                "made": .integer(Int64(writes.made)),
                "failed": .integer(Int64(writes.failed)),
                "planned": .integer(Int64(writes.planned)),
            ]),
            "plan_id": planID.map(JSONValue.string) ?? .null,
            "plan_file": planFile.map(JSONValue.string) ?? .null,
            "audit_log": auditLog.map(JSONValue.string) ?? .null,
            "audit_failures": .array(auditFailures.map(JSONValue.string)),
        ])
    }

    /// Seconds, to the millisecond.
    static func rounded(_ duration: Duration) -> Double {
        (duration.seconds * 1000).rounded() / 1000
    }

    /// `0.42 s`, `12.3 s`.
    static func seconds(_ duration: Duration) -> String {
        let value = duration.seconds
        let digits = value < 10 ? 2 : 1
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = "\(rounded)"
        if let dot = text.firstIndex(of: ".") {
            let decimals = text[text.index(after: dot)...].count
            if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
        }
        return text + " s"
    }
}
