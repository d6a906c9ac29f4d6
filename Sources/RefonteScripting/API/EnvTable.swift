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
    /// Every field of `refonte.env`.
    enum Field: String, CaseIterable {
        case profile
        case baseURL = "base_url"
        case sandbox
        case dryRun = "dry_run"

        var declaration: TableField {
            switch self {
            case .profile:
                TableField(name: rawValue, type: "string?", doc: "the profile whose settings are in effect")
            case .baseURL:
                TableField(
                    name: rawValue,
                    type: "string?",
                    doc: "where calls go; nil until the embedded sandbox has started"
                )
            case .sandbox:
                TableField(name: rawValue, type: "boolean", doc: "true when calls go to the embedded sandbox")
            case .dryRun:
                TableField(
                    name: rawValue,
                    type: "boolean",
                    doc: "true in a dry run: writes are planned, not sent"
                )
            }
        }
    }

    let facts: RunFacts
    private var published: Bool

    init(_ facts: RunFacts) {
        self.facts = facts
        self.published = facts.baseURL != nil
    }

    var value: LuaValue {
        var fields: [LuaValue: LuaValue] = [
            .string(Field.sandbox.rawValue): .boolean(facts.sandbox),
            .string(Field.dryRun.rawValue): .boolean(facts.dryRun),
        ]
        if let profile = facts.profile { fields[.string(Field.profile.rawValue)] = .string(profile) }
        if let baseURL = facts.baseURL { fields[.string(Field.baseURL.rawValue)] = .string(baseURL) }
        return .table(.map(fields))
    }

    /// Sets `refonte.env.base_url` the first time the base URL is known.
    func publish(baseURL: String, on stack: LuaStack) {
        guard !published else { return }
        published = true
        Self.set(.baseURL, on: stack) { $0.push(baseURL) }
    }

    /// Sets one field of `refonte.env` raw, to what `push` pushes.
    static func set(_ field: Field, on stack: LuaStack, to push: (LuaStack) -> Void) {
        let base = stack.top
        defer { stack.setTop(base) }
        guard stack.reserve(4) else { return }
        stack.pushGlobals()
        guard stack.rawGet(-1, field: "refonte") == .table, stack.rawGet(-1, field: "env") == .table else {
            return
        }
        push(stack)
        stack.rawSet(-2, field: field.rawValue)
    }
}

extension RunFacts {
    /// Sets `refonte.env.dry_run` in a state whose session switches between live and dry run
    /// (the REPL's `.dry on|off`).
    public static func setDryRun(_ on: Bool, in state: LuaState) {
        EnvTable.set(.dryRun, on: state.stack) { $0.push(on) }
    }
}
