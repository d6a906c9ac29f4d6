/// A value a dry run cannot know, as it travels in JSON: a string such as
/// `(known after apply #3f9a2c1b/w3/task_id)`, meaning "the `task_id` of the answer to planned
/// write 3". Lua sees a placeholder value instead (it prints `(known after apply)`); when a
/// script passes one on to a later write, the plan keeps the reference and `refonte apply`
/// puts in the real value once write 3 has been made.
///
/// The `#…` part is random per run, so no string a script makes up by chance reads as one.
public struct Placeholder: Sendable, Hashable {
    /// What a placeholder stands for, as a person reads it.
    public static let text = "(known after apply)"

    public enum Source: Sendable, Hashable {
        /// The answer to a planned write (1-based).
        case write(Int)
        /// The answer to a read a dry run could not send, because an argument was itself a
        /// placeholder (1-based among such reads). Nothing can fill these in at apply time.
        case unsentRead(Int)
    }

    public var source: Source
    /// JSON path in that answer: field names and 0-based indices.
    public var path: [String]

    public init(source: Source, path: [String]) {
        self.source = source
        self.path = path
    }

    /// `(known after apply #` + the run's tag + `/`: every placeholder of the run starts so.
    public static func prefix(tag: String) -> String { "(known after apply #\(tag)/" }

    public func marker(prefix: String) -> String {
        let origin: String
        switch source {
        case .write(let index): origin = "w\(index)"
        case .unsentRead(let index): origin = "r\(index)"
        }
        return prefix + ([origin] + path.map(Self.escape)).joined(separator: "/") + ")"
    }

    /// The placeholder a marker string stands for, when it is one under `prefix`.
    public static func parse(_ text: String, prefix: String) -> Placeholder? {
        guard text.hasPrefix(prefix), text.hasSuffix(")") else { return nil }
        let body = text.dropFirst(prefix.count).dropLast()
        var parts = body.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let origin = parts.first, origin.count > 1, let index = Int(origin.dropFirst()), index > 0
        else {
            return nil
        }
        parts.removeFirst()
        let path = parts.map(unescape)
        switch origin.first {
        case "w": return Placeholder(source: .write(index), path: path)
        case "r": return Placeholder(source: .unsentRead(index), path: path)
        default: return nil
        }
    }

    /// How a plan shows it: `(known after apply: write 3 task_id)`.
    public var readable: String {
        let field = path.isEmpty ? "" : " " + path.joined(separator: ".")
        switch source {
        case .write(let index): return "(known after apply: write \(index)\(field))"
        case .unsentRead(let index): return "(known after apply: unsent read \(index)\(field))"
        }
    }

    private static func escape(_ token: String) -> String {
        token.replacing("~", with: "~0").replacing("/", with: "~1").replacing(")", with: "~2")
    }

    private static func unescape(_ token: String) -> String {
        token.replacing("~2", with: ")").replacing("~1", with: "/").replacing("~0", with: "~")
    }
}

extension JSONValue {
    /// Every string in this value that starts with `prefix`, depth first.
    func strings(startingWith prefix: String) -> [String] {
        switch self {
        case .string(let text): text.hasPrefix(prefix) ? [text] : []
        case .array(let items): items.flatMap { $0.strings(startingWith: prefix) }
        case .object(let fields):
            fields.keys.sorted().flatMap { fields[$0]!.strings(startingWith: prefix) }
        case .null, .bool, .integer, .double: []
        }
    }

    /// Whether some string in this value contains `text`.
    func containsText(_ text: String) -> Bool {
        switch self {
        case .string(let value): value.contains(text)
        case .array(let items): items.contains { $0.containsText(text) }
        case .object(let fields): fields.values.contains { $0.containsText(text) }
        case .null, .bool, .integer, .double: false
        }
    }

    /// This value with every string `transform` returns a value for replaced by that value.
    func replacingStrings(_ transform: (String) throws -> JSONValue?) rethrows -> JSONValue {
        switch self {
        case .string(let text): return try transform(text) ?? self
        case .array(let items): return .array(try items.map { try $0.replacingStrings(transform) })
        case .object(let fields):
            var out: [String: JSONValue] = [:]
            for (name, value) in fields { out[name] = try value.replacingStrings(transform) }
            return .object(out)
        case .null, .bool, .integer, .double: return self
        }
    }

    /// The value at a path of field names and 0-based indices.
    public func value(at path: [String]) -> JSONValue? {
        var current = self
        for token in path {
            switch current {
            case .object(let fields):
                guard let next = fields[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                current = items[index]
            case .null, .bool, .integer, .double, .string:
                return nil
            }
        }
        return current
    }
}
