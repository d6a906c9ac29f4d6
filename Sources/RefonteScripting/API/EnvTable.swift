import LuaRuntime

/// `refonte.env`: the non-secret facts of the run. It never holds the API key.
public struct RunFacts: Sendable {
    /// The profile whose settings are in effect, if any.
    public var profile: String?
    /// Nil until known: the embedded sandbox picks its port on the first API call.
    public var baseURL: String?
    public var sandbox: Bool
    public var dryRun: Bool

    public init(profile: String? = nil, baseURL: String? = nil, sandbox: Bool, dryRun: Bool = false) {
        self.profile = profile
        self.baseURL = baseURL
        self.sandbox = sandbox
        self.dryRun = dryRun
    }
}

/// Keeps `refonte.env.base_url` true once the connection has opened.
final class EnvTable {
    let facts: RunFacts
    private var published: Bool

    init(_ facts: RunFacts) {
        self.facts = facts
        self.published = facts.baseURL != nil
    }

    var value: LuaValue {
        var fields: [LuaValue: LuaValue] = [
            "sandbox": .boolean(facts.sandbox),
            "dry_run": .boolean(facts.dryRun),
        ]
        if let profile = facts.profile { fields["profile"] = .string(profile) }
        if let baseURL = facts.baseURL { fields["base_url"] = .string(baseURL) }
        return .table(.map(fields))
    }

    /// Sets `refonte.env.base_url` the first time the base URL is known.
    func publish(baseURL: String, on stack: LuaStack) {
        guard !published else { return }
        published = true
        let base = stack.top
        defer { stack.setTop(base) }
        guard stack.reserve(4) else { return }
        stack.pushGlobals()
        guard stack.rawGet(-1, field: "refonte") == .table, stack.rawGet(-1, field: "env") == .table else {
            return
        }
        stack.push(baseURL)
        stack.rawSet(-2, field: "base_url")
    }
}
