import Foundation
import Logging
import Synchronization

/// One run's calls, between the script (or `refonte apply`) and the client: it derives the
/// keys that make writes safe to repeat, records every write in the audit log, and in a dry
/// run keeps every write from leaving the process.
///
/// A dry run decides by the catalog (`Operation.mutates`), never by a flag the server would
/// have to honour: a write is answered here with a plausible value of its response shape
/// (`PlannedResponse`) and added to the plan; a read goes to the API and its answer is
/// fingerprinted for `refonte apply`'s drift check.
public final class RunSession: Sendable {
    public enum Mode: Sendable, Hashable {
        case live
        case dryRun
    }

    /// What the session gave back for one call.
    public struct Answer: Sendable {
        public var result: Result<APIResponse, APIError>
        /// A dry run answered it: its body may hold placeholder markers (`placeholderPrefix`).
        public var planned: Bool
    }

    /// Writes a run made, failed or planned.
    public struct Writes: Sendable, Hashable {
        public var made = 0
        public var failed = 0
        public var planned = 0
    }

    /// Whether writes are planned or sent; the REPL switches it (`.dry on|off`), a script's
    /// run keeps the one it started with.
    public var mode: Mode { state.withLock { $0.mode } }
    /// Strings starting with this in a planned answer are placeholders.
    public let placeholderPrefix: String
    public let audit: AuditLog?
    /// Shared with the run's client (`APIClient(statistics:)`): retries, throttled time.
    public let statistics = CallStatistics()
    private let redactionKey: APIKey?
    private let keys: DerivedKeys
    /// Made for every session, used once it has been a dry run: a session that switches keeps
    /// one plan and one placeholder prefix, so what an earlier dry spell planned stays known.
    private let recorder: PlanRecorder
    private let state: Mutex<State>
    private let logger: Logger

    private struct State {
        var mode: Mode
        /// It has been a dry run at some point: it has a plan, and its placeholders exist.
        var hasPlanned: Bool
        var context: RunContext
        var writes = Writes()
        var calls: [String: Int] = [:]
        var auditFailures: [String] = []
    }

    public init(
        mode: Mode = .live,
        context: RunContext,
        audit: AuditLog? = nil,
        redacting key: APIKey? = nil,
        logger: Logger
    ) {
        self.placeholderPrefix = Placeholder.prefix(tag: RunContext.randomHex(8))
        self.audit = audit
        self.redactionKey = key
        self.keys = DerivedKeys(runID: context.runID)
        self.recorder = PlanRecorder(prefix: placeholderPrefix)
        var state = State(mode: .live, hasPlanned: false, context: context)
        Self.enter(mode, &state)
        self.state = Mutex(state)
        self.logger = logger
    }

    public var context: RunContext { state.withLock { $0.context } }
    public var writes: Writes { state.withLock { $0.writes } }
    /// The calls the script made, by operation, sent or answered by the dry run.
    public var calls: [String: Int] { state.withLock { $0.calls } }
    /// Audit records that could not be written after their call was made.
    public var auditFailures: [String] { state.withLock { $0.auditFailures } }

    /// Plans the writes that follow, or sends them again (the REPL's `.dry on|off`). The plan
    /// goes on from where an earlier dry spell left it.
    public func switchMode(to mode: Mode) {
        state.withLock { Self.enter(mode, &$0) }
    }

    private static func enter(_ mode: Mode, _ state: inout State) {
        state.mode = mode
        guard mode == .dryRun else { return }
        state.hasPlanned = true
        // A dry run's records carry the id of the plan they make.
        if state.context.planID == nil { state.context.planID = Plan.newID() }
    }

    /// The script's identity, once its source has been read.
    public func setScript(_ script: ScriptIdentity) {
        state.withLock { $0.context.script = script }
    }

    /// Sends `request` with `send`, or, for a write in a dry run, answers it without sending.
    /// `planWrite` numbers a write that `refonte apply` makes from a plan.
    public func perform(
        _ request: PreparedRequest,
        planWrite: Int? = nil,
        send: (PreparedRequest) async -> Result<APIResponse, APIError>
    ) async -> Answer {
        let operation = Catalog.operation(id: request.operationID)
        let mutates = operation?.mutates ?? (request.method != .get)
        let (mode, hasPlanned) = state.withLock { state in
            state.calls[request.operationID, default: 0] += 1
            return (state.mode, state.hasPlanned)
        }
        let request = keys.filling(request, of: operation)
        if mode == .dryRun {
            if mutates { return plan(request, operation: operation, recorder: recorder) }
            if mentionsPlaceholder(request) {
                return answerUnsent(request, operation: operation, recorder: recorder)
            }
            let result = await send(request)
            switch result {
            case .success(let response):
                recorder.addRead(request, status: response.status, body: response.body)
            case .failure(let error): recorder.addRead(request, failure: error)
            }
            return Answer(result: result, planned: false)
        }
        // A value an earlier dry spell planned does not exist on the server: never send it.
        if hasPlanned, mentionsPlaceholder(request, inBody: true) {
            return Answer(result: .failure(unknownArgument(request)), planned: false)
        }
        guard mutates else { return Answer(result: await send(request), planned: false) }
        if let audit {
            do {
                try audit.open()
            } catch {
                return Answer(
                    result: .failure(
                        APIError(
                            operationID: request.operationID,
                            status: nil,
                            code: APIError.Code.auditUnavailable,
                            message: "not sent: \(error); give --audit-log PATH to keep it elsewhere",
                            attempts: 0
                        )
                    ),
                    planned: false
                )
            }
        }
        let result = await send(request)
        state.withLock { state in
            switch result {
            case .success: state.writes.made += 1
            case .failure: state.writes.failed += 1
            }
        }
        switch result {
        case .success(let response):
            record(
                request,
                operation: operation,
                outcome: .applied,
                status: response.status,
                attempts: response.attempts,
                planWrite: planWrite
            )
        case .failure(let error):
            record(
                request,
                operation: operation,
                outcome: .failed,
                status: error.status,
                attempts: error.attempts,
                error: "\(error.code): \(error.message)",
                planWrite: planWrite
            )
        }
        return Answer(result: result, planned: false)
    }

    /// The dry run's plan so far; nil in a live run.
    public func plan(createdAt: Date = Date()) -> Plan? {
        guard state.withLock({ $0.hasPlanned }) else { return nil }
        return recorder.plan(context: context, createdAt: AuditRecord.timestamp(createdAt))
    }

    // MARK: - Dry run

    private func plan(_ request: PreparedRequest, operation: Operation?, recorder: PlanRecorder) -> Answer {
        let index = recorder.addWrite(request)
        state.withLock { $0.writes.planned += 1 }
        record(request, operation: operation, outcome: .planned, planWrite: index)
        let body: [UInt8]
        if let operation {
            body = PlannedResponse(
                operation: operation,
                arguments: operation.wireArguments(of: request),
                source: .write(index),
                prefix: placeholderPrefix
            ).json().encoded()
        } else {
            body = JSONValue.string(
                Placeholder(source: .write(index), path: []).marker(prefix: placeholderPrefix)
            ).encoded()
        }
        return Answer(
            result: .success(APIResponse(status: 200, headers: [:], body: body, attempts: 0)),
            planned: true
        )
    }

    /// A read whose arguments are placeholders cannot be sent (the server knows no such
    /// thing yet): it is answered like a write, with what its arguments tell.
    private func answerUnsent(
        _ request: PreparedRequest,
        operation: Operation?,
        recorder: PlanRecorder
    ) -> Answer {
        let index = recorder.addUnsentRead()
        let source = Placeholder.Source.unsentRead(index)
        let body: JSONValue =
            operation.map {
                PlannedResponse(
                    operation: $0,
                    arguments: $0.wireArguments(of: request),
                    source: source,
                    prefix: placeholderPrefix
                )
                .json()
            } ?? .string(Placeholder(source: source, path: []).marker(prefix: placeholderPrefix))
        logger.info(
            "not sent in the dry run: its arguments are known only after apply",
            metadata: ["operation": "\(request.operationID)"]
        )
        return Answer(
            result: .success(APIResponse(status: 200, headers: [:], body: body.encoded(), attempts: 0)),
            planned: true
        )
    }

    private func mentionsPlaceholder(_ request: PreparedRequest, inBody: Bool = false) -> Bool {
        let encodedPrefix = PercentEncoding.encode(placeholderPrefix)
        if request.path.contains(encodedPrefix)
            || request.query.contains(where: { $0.value.hasPrefix(placeholderPrefix) })
        {
            return true
        }
        // The prefix is plain ASCII that JSON writes as it is.
        guard inBody, let body = request.body else { return false }
        return body.firstRange(of: Array(placeholderPrefix.utf8)) != nil
    }

    private func unknownArgument(_ request: PreparedRequest) -> APIError {
        APIError(
            operationID: request.operationID,
            status: nil,
            code: APIError.Code.badRequest,
            message: "not sent: an argument is \(Placeholder.text), a value planned in a dry run that "
                + "does not exist until the plan is applied",
            attempts: 0
        )
    }

    // MARK: - Audit

    private func record(
        _ request: PreparedRequest,
        operation: Operation?,
        outcome: AuditRecord.Outcome,
        status: Int? = nil,
        attempts: Int = 0,
        error: String? = nil,
        planWrite: Int?
    ) {
        guard let audit else { return }
        let arguments = operation?.wireArguments(of: request)
        var merged = arguments?.values ?? [:]
        merged.merge(arguments?.extras ?? [:]) { current, _ in current }
        var uniqueID: String?
        if case .string(let key)? = merged["unique_id"] { uniqueID = key }
        let record = AuditRecord(
            context: context,
            request: request,
            arguments: Redaction.redact(.object(merged), key: redactionKey),
            outcome: outcome,
            status: status,
            attempts: attempts,
            error: error.map { Redaction.redact($0, key: redactionKey) },
            uniqueID: uniqueID,
            planWrite: planWrite
        )
        do {
            try audit.append(record)
        } catch {
            // The call has been made; losing its record must not pass unseen.
            logger.error("cannot record a write in the audit log", metadata: ["error": "\(error)"])
            state.withLock { $0.auditFailures.append("\(request.operationID): \(error)") }
        }
    }
}
