/// What a dry run would have changed, as `--plan-out` writes it and `refonte apply` makes it:
/// every planned write in order, in wire form, and a fingerprint of every read the script
/// made. docs/plans.md documents the format; `version` changes when its meaning does.
public struct Plan: Sendable, Hashable {
    public static let format = "refonte-plan"
    public static let version = 1

    public var id: String
    /// RFC 3339, UTC.
    public var createdAt: String
    /// The dry run that made it.
    public var runID: String
    public var script: ScriptIdentity?
    public var profile: String?
    public var target: RunTarget
    /// Strings starting with this in a write are placeholders (`Placeholder`).
    public var placeholderPrefix: String
    public var reads: [PlannedRead]
    public var writes: [PlannedWrite]
    /// Why some writes cannot be made as planned; `refonte apply` refuses such a plan.
    public var problems: [String]

    public init(
        id: String = Plan.newID(),
        createdAt: String,
        runID: String,
        script: ScriptIdentity?,
        profile: String?,
        target: RunTarget,
        placeholderPrefix: String,
        reads: [PlannedRead],
        writes: [PlannedWrite],
        problems: [String]
    ) {
        self.id = id
        self.createdAt = createdAt
        self.runID = runID
        self.script = script
        self.profile = profile
        self.target = target
        self.placeholderPrefix = placeholderPrefix
        self.reads = reads
        self.writes = writes
        self.problems = problems
    }

    public static func newID() -> String { "plan_" + RunContext.randomHex(16) }
}

/// A read the script made during the dry run, and a fingerprint of its answer.
public struct PlannedRead: Sendable, Hashable {
    public var request: PreparedRequest
    /// The answer's status: 200, or the 4xx/5xx the script saw.
    public var status: Int
    /// SHA-256 of the answer's body (of the error's code and message for a failure).
    public var fingerprint: String
    /// Made after the first planned write: it saw the state before that write, which a direct
    /// run would not have.
    public var afterWrite: Bool

    public init(request: PreparedRequest, status: Int, fingerprint: String, afterWrite: Bool) {
        self.request = request
        self.status = status
        self.fingerprint = fingerprint
        self.afterWrite = afterWrite
    }

    /// `GET /teams`, `GET /tasks?project=…`
    public var display: String { request.display }
}

/// One write of the plan, exactly as it will be sent (placeholders aside).
public struct PlannedWrite: Sendable, Hashable {
    /// 1-based position in the plan.
    public var index: Int
    public var request: PreparedRequest

    public init(index: Int, request: PreparedRequest) {
        self.index = index
        self.request = request
    }
}

extension PreparedRequest {
    /// `POST /teams/invite`, with its query: how plans and drift reports name a request.
    public var display: String {
        var text = "\(method.rawValue) \(path)"
        if !query.isEmpty {
            text +=
                "?" + query.map { "\($0.name)=\(PercentEncoding.encode($0.value))" }.joined(separator: "&")
        }
        return text
    }

    /// The JSON body as a value, when it has one.
    var bodyValue: JSONValue? { body.flatMap { try? JSONValue.parse($0) } }
}
