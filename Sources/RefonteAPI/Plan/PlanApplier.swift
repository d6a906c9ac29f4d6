/// Makes a plan's writes, exactly and in order, after checking that the reads it was based on
/// still get the same answers. It never runs the script again.
public struct PlanApplier: Sendable {
    public typealias Sender = (PreparedRequest) async -> Result<APIResponse, APIError>

    /// A read whose answer is not the one the plan saw.
    public struct Drift: Sendable, Hashable {
        public var read: PlannedRead
        /// What it answers now, in words.
        public var now: String
    }

    public enum Progress: Sendable {
        case sending(PlannedWrite)
        case made(PlannedWrite, attempts: Int)
    }

    /// How an apply ended: what was made, and, when it stopped, where and why.
    public struct Outcome: Sendable {
        public var made: [PlannedWrite] = []
        public var failed: PlannedWrite?
        public var failure: String?
        public var notMade: [PlannedWrite] = []

        public var isComplete: Bool { failed == nil && notMade.isEmpty }
    }

    public let plan: Plan
    public let session: RunSession

    public init(plan: Plan, session: RunSession) {
        self.plan = plan
        self.session = session
    }

    /// Sends every read of the plan again, in order, and returns those whose answer changed
    /// (or that could not be answered). None of the plan's writes is made before this, so
    /// every read meets the state the dry run met, unless someone else changed it since.
    public func drift(send: Sender) async -> [Drift] {
        var drifted: [Drift] = []
        for read in plan.reads {
            let answer = await session.perform(read.request, send: send)
            switch answer.result {
            case .success(let response):
                if response.status != read.status || SHA256Digest.hex(response.body) != read.fingerprint {
                    drifted.append(
                        Drift(
                            read: read,
                            now: read.status == 200
                                ? "a different answer" : "200 (the plan saw \(read.status))"
                        )
                    )
                }
            case .failure(let error):
                if let status = error.status,
                    status == read.status,
                    SHA256Digest.hex(error.code + "\n" + error.message) == read.fingerprint
                {
                    continue
                }
                drifted.append(
                    Drift(
                        read: read,
                        now: "\(error.status.map(String.init) ?? "no answer"): \(error.message)"
                    )
                )
            }
        }
        return drifted
    }

    /// Makes the writes in order, filling in placeholders from the answers of earlier writes,
    /// and stops at the first that fails.
    public func apply(send: Sender, progress: (Progress) -> Void) async -> Outcome {
        var outcome = Outcome()
        var answers: [Int: JSONValue] = [:]
        for (offset, write) in plan.writes.enumerated() {
            let request: PreparedRequest
            do {
                request = try resolve(write.request, answers: answers)
            } catch {
                outcome.failed = write
                outcome.failure = "not sent: \(error.description)"
                outcome.notMade = Array(plan.writes[(offset + 1)...])
                return outcome
            }
            progress(.sending(write))
            let answer = await session.perform(request, planWrite: write.index, send: send)
            switch answer.result {
            case .success(let response):
                answers[write.index] = try? JSONValue.parse(response.body)
                outcome.made.append(write)
                progress(.made(write, attempts: response.attempts))
            case .failure(let error):
                outcome.failed = write
                outcome.failure = error.description
                outcome.notMade = Array(plan.writes[(offset + 1)...])
                return outcome
            }
        }
        return outcome
    }

    /// The write with every placeholder replaced by the value it stands for.
    func resolve(
        _ request: PreparedRequest,
        answers: [Int: JSONValue]
    ) throws(ResolutionError) -> PreparedRequest {
        let prefix = plan.placeholderPrefix
        func value(of marker: String) throws(ResolutionError) -> JSONValue? {
            guard let placeholder = Placeholder.parse(marker, prefix: prefix) else { return nil }
            guard case .write(let index) = placeholder.source else {
                throw ResolutionError(
                    description: "\(placeholder.readable) comes from a read the dry run could not send"
                )
            }
            guard let answer = answers[index], let found = answer.value(at: placeholder.path) else {
                throw ResolutionError(
                    description:
                        "the answer to write \(index) has no \(placeholder.path.joined(separator: ".")) for \(placeholder.readable)"
                )
            }
            return found
        }
        var resolved = request
        var segments: [String] = []
        for segment in request.path.split(separator: "/", omittingEmptySubsequences: false) {
            let text = PercentEncoding.decode(String(segment)) ?? String(segment)
            if let found = try value(of: text) {
                segments.append(PercentEncoding.pathSegment(found.queryText))
            } else {
                segments.append(String(segment))
            }
        }
        resolved.path = segments.joined(separator: "/")
        for index in resolved.query.indices {
            if let found = try value(of: resolved.query[index].value) {
                resolved.query[index].value = found.queryText
            }
        }
        if let body = request.bodyValue, !body.strings(startingWith: prefix).isEmpty {
            var failure: ResolutionError?
            let replaced = body.replacingStrings { text in
                do {
                    return try value(of: text)
                } catch {
                    failure = error as? ResolutionError ?? ResolutionError(description: "\(error)")
                    return nil
                }
            }
            if let failure { throw failure }
            resolved.body = replaced.encoded()
        }
        return resolved
    }

    struct ResolutionError: Error, CustomStringConvertible {
        var description: String
    }
}
