import Foundation
import Synchronization

/// Collects a dry run's plan as the script runs: its writes in order and a fingerprint of
/// every read, and notes writes that cannot be made as planned.
final class PlanRecorder: Sendable {
    let prefix: String

    private struct State {
        var reads: [PlannedRead] = []
        var seen: Set<PlannedRead> = []
        var writes: [PlannedWrite] = []
        var unsentReads = 0
        var problems: [String] = []
    }

    private let state = Mutex(State())

    init(prefix: String) {
        self.prefix = prefix
    }

    /// Adds a write and returns its 1-based number.
    func addWrite(_ request: PreparedRequest) -> Int {
        let problems = problems(of: request)
        return state.withLock { state in
            let index = state.writes.count + 1
            state.writes.append(PlannedWrite(index: index, request: request))
            state.problems += problems.map {
                "write \(index) (\(request.operationID) \(request.display)): \($0)"
            }
            return index
        }
    }

    /// Keeps the fingerprint of a read's answer; the same answer to the same read is kept once.
    func addRead(_ request: PreparedRequest, status: Int, body: [UInt8]) {
        add(request, status: status, fingerprint: SHA256Digest.hex(body))
    }

    /// A read that failed with a status: its code and message stand for its answer.
    func addRead(_ request: PreparedRequest, failure: APIError) {
        guard let status = failure.status else { return }
        add(request, status: status, fingerprint: SHA256Digest.hex(failure.code + "\n" + failure.message))
    }

    private func add(_ request: PreparedRequest, status: Int, fingerprint: String) {
        state.withLock { state in
            let read = PlannedRead(
                request: request,
                status: status,
                fingerprint: fingerprint,
                afterWrite: !state.writes.isEmpty
            )
            var key = read
            key.afterWrite = false
            guard state.seen.insert(key).inserted else { return }
            state.reads.append(read)
        }
    }

    /// Numbers a read that is answered without being sent.
    func addUnsentRead() -> Int {
        state.withLock { state in
            state.unsentReads += 1
            return state.unsentReads
        }
    }

    var writeCount: Int { state.withLock { $0.writes.count } }

    func plan(context: RunContext, createdAt: String) -> Plan {
        state.withLock { state in
            Plan(
                id: context.planID ?? Plan.newID(),
                createdAt: createdAt,
                runID: context.runID,
                script: context.script,
                profile: context.profile,
                target: context.target,
                placeholderPrefix: prefix,
                reads: state.reads,
                writes: state.writes,
                problems: state.problems
            )
        }
    }

    /// What stops a write from being made exactly as planned.
    private func problems(of request: PreparedRequest) -> [String] {
        var texts = [request.path] + request.query.map(\.value)
        var problems: [String] = []
        if let body = request.bodyValue { texts += body.strings(startingWith: "") }
        let decoded = texts.map { PercentEncoding.decode($0) ?? $0 }
        if decoded.contains(where: { $0.contains(Placeholder.text) }) {
            problems.append(
                "an argument holds the text \"\(Placeholder.text)\": a placeholder was turned into text "
                    + "(tostring, .. or string.format) before it was passed on, so apply cannot fill it in; "
                    + "pass the value itself"
            )
        }
        for text in decoded {
            var rest = Substring(text)
            while let range = rest.range(of: prefix) {
                let candidate = String(rest[range.lowerBound...].prefix { $0 != ")" }) + ")"
                if case .unsentRead? = Placeholder.parse(candidate, prefix: prefix)?.source {
                    problems.append(
                        "an argument comes from a read the dry run could not send (its own arguments were "
                            + "placeholders), so apply cannot fill it in"
                    )
                }
                rest = rest[range.upperBound...]
            }
        }
        return problems
    }
}
