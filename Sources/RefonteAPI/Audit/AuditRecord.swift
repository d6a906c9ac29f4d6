import Foundation

/// One mutating call as the audit log keeps it. The JSON field names are documented in
/// docs/plans.md ("The audit log").
public struct AuditRecord: Sendable {
    public enum Outcome: String, Sendable {
        /// A dry run answered it without sending it.
        case planned
        /// The server answered 200.
        case applied
        /// It failed; `error` says how (it may still have taken effect: see the message).
        case failed
    }

    public var time: Date
    public var context: RunContext
    public var request: PreparedRequest
    /// The request's arguments (wire names), secrets redacted.
    public var arguments: JSONValue
    public var outcome: Outcome
    public var status: Int?
    public var attempts: Int
    public var error: String?
    public var uniqueID: String?
    /// The write's number in its plan (dry run and apply).
    public var planWrite: Int?

    public init(
        time: Date = Date(),
        context: RunContext,
        request: PreparedRequest,
        arguments: JSONValue,
        outcome: Outcome,
        status: Int? = nil,
        attempts: Int = 0,
        error: String? = nil,
        uniqueID: String? = nil,
        planWrite: Int? = nil
    ) {
        self.time = time
        self.context = context
        self.request = request
        self.arguments = arguments
        self.outcome = outcome
        self.status = status
        self.attempts = attempts
        self.error = error
        self.uniqueID = uniqueID
        self.planWrite = planWrite
    }

    var fields: [String: JSONValue] {
        var script: JSONValue = .null
        if let identity = context.script {
            script = .object(["path": .string(identity.path), "sha256": .string(identity.sha256)])
        }
        var target = request.path
        if !request.query.isEmpty {
            target +=
                "?"
                + request.query.map { "\($0.name)=\(PercentEncoding.encode($0.value))" }.joined(
                    separator: "&"
                )
        }
        return [
            "time": .string(Self.timestamp(time)),
            "run_id": .string(context.runID),
            "script": script,
            "profile": context.profile.map(JSONValue.string) ?? .null,
            "base_url": .string(context.target.description),
            "operation": .string(request.operationID),
            "method": .string(request.method.rawValue),
            "target": .string(target),
            "arguments": arguments,
            "outcome": .string(outcome.rawValue),
            "status": status.map { .integer(Int64($0)) } ?? .null,
            "attempts": .integer(Int64(attempts)),
            "error": error.map(JSONValue.string) ?? .null,
            "unique_id": uniqueID.map(JSONValue.string) ?? .null,
            "dry_run": .bool(outcome == .planned),
            "plan_id": context.planID.map(JSONValue.string) ?? .null,
            "plan_write": planWrite.map { .integer(Int64($0)) } ?? .null,
        ]
    }

    /// RFC 3339 in UTC with milliseconds: `2026-05-04T09:12:31.250Z`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}

extension AuditLog {
    /// Appends `record`.
    @discardableResult
    public func append(_ record: AuditRecord) throws(AuditError) -> Int64 {
        try append(record.fields)
    }
}

/// A record read back from the log, for `refonte audit show` and the applied-plan check.
public struct AuditEntry: Sendable {
    /// 1-based line number.
    public var line: Int
    public var fields: [String: JSONValue]

    public func string(_ name: String) -> String? {
        if case .string(let text)? = fields[name] { return text }
        return nil
    }

    public func integer(_ name: String) -> Int64? {
        if case .integer(let value)? = fields[name] { return value }
        return nil
    }

    public var dryRun: Bool { fields["dry_run"] == .bool(true) }

    public var time: Date? {
        string("time").flatMap { text in
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return formatter.date(from: text)
        }
    }

    /// Every record of the log at `path` that reads as one (a bad line is `audit verify`'s
    /// business, not a reason to hide the rest).
    public static func all(in path: String) throws(AuditError) -> [AuditEntry] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditError(path: path, reason: "cannot read it")
        }
        var entries: [AuditEntry] = []
        for (offset, line) in Array(data).split(separator: 0x0A, omittingEmptySubsequences: false)
            .enumerated()
        {
            guard let sealed = AuditLine.open(line),
                case .object(let fields)? = try? JSONValue.parse(sealed.content)
            else { continue }
            entries.append(AuditEntry(line: offset + 1, fields: fields))
        }
        return entries
    }
}
