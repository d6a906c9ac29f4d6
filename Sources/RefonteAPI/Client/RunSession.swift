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

    public let mode: Mode
    /// Strings starting with this in a planned answer are placeholders.
    public let placeholderPrefix: String
    public let audit: AuditLog?
    /// Shared with the run's client (`APIClient(statistics:)`): retries, throttled time.
    public let statistics = CallStatistics()
    private let redactionKey: APIKey?
    private let keys: DerivedKeys
    private let recorder: PlanRecorder?
    private let state: Mutex<State>
    private let logger: Logger

    private struct State {
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
        self.mode = mode
        self.placeholderPrefix = Placeholder.prefix(tag: RunContext.randomHex(8))
        self.audit = audit
        self.redactionKey = key
        self.keys = DerivedKeys(runID: context.runID)
        self.recorder = mode == .dryRun ? PlanRecorder(prefix: placeholderPrefix) : nil
        var context = context
        // A dry run's records carry the id of the plan they make.
        if mode == .dryRun, context.planID == nil { context.planID = Plan.newID() }
        self.state = Mutex(State(context: context))
        self.logger = logger
    }

    public var context: RunContext { state.withLock { $0.context } }
    public var writes: Writes { state.withLock { $0.writes } }
    /// The calls the script made, by operation, sent or answered by the dry run.
    public var calls: [String: Int] { state.withLock { $0.calls } }
    /// Audit records that could not be written after their call was made.
    public var auditFailures: [String] { state.withLock { $0.auditFailures } }

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
        state.withLock { $0.calls[request.operationID, default: 0] += 1 }
        let request = keys.filling(request, of: operation)
        if let recorder {
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
        recorder?.plan(context: context, createdAt: AuditRecord.timestamp(createdAt))
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

    private func mentionsPlaceholder(_ request: PreparedRequest) -> Bool {
        let encodedPrefix = PercentEncoding.encode(placeholderPrefix)
        return request.path.contains(encodedPrefix)
            || request.query.contains { $0.value.hasPrefix(placeholderPrefix) }
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
