import LuaRuntime
import RefonteAPI

#if canImport(Glibc)
import Glibc
#endif

/// Reads a Lua value for display with raw access only: no metamethod runs (`__index`,
/// `__pairs`, `__tostring` are never called), so a hostile value cannot make printing run code,
/// raise or loop. Bounded by `PrettyOptions` (depth, entries per table, entries in all) and by
/// the script's limits: the host's work counts toward `--timeout` and `--max-memory`, and an
/// interrupt stops it.
struct PrettyReader {
    let stack: LuaStack
    let options: PrettyOptions
    /// `json.null`'s identity, to show it apart from other userdata.
    let null: UnsafeRawPointer?
    private var path: Set<UnsafeRawPointer> = []
    private var entries = 0
    /// A rough count of the bytes the nodes hold, checked against the memory cap as they grow.
    private(set) var bytes = 0

    init(stack: LuaStack, options: PrettyOptions) {
        self.stack = stack
        self.options = options
        stack.reserve(2)
        JSONMarkers.push(JSONMarkers.nullKey, on: stack)
        null = stack.pointer(at: -1)
        stack.pop()
    }

    mutating func read(_ index: Int32, depth: Int = 0) throws(LuaLimitReached) -> PrettyNode {
        let index = stack.absolute(index)
        switch stack.type(at: index) {
        case .none, .nil: return .atom(PrettyText("nil", .keyword))
        case .boolean: return .atom(PrettyText(stack.boolean(at: index) ? "true" : "false", .keyword))
        case .number: return .atom(PrettyText(Self.numberText(stack, index), .number))
        case .string:
            let text = stack.withBytes(at: index) { Self.quoted($0, limit: options.stringBytes) } ?? "\"\""
            try count(2 * text.utf8.count)
            return .atom(PrettyText(text, .string, bare: Self.unquoted(text)))
        case .table:
            // A dry run's placeholder (an empty table standing for a value known after apply).
            if PlaceholderValue.marker(at: index, on: stack) != nil {
                return .atom(PrettyText(Placeholder.text, .unknown))
            }
            return try table(index, depth: depth)
        case .function: return .note("<function>")
        case .thread: return .note("<thread>")
        case .lightUserdata: return .note("<userdata>")
        case .userdata:
            if let null, stack.pointer(at: index) == null { return .atom(PrettyText("json.null", .null)) }
            return .note("<\(metatableName(index) ?? "userdata")>")
        }
    }

    private mutating func table(_ index: Int32, depth: Int) throws(LuaLimitReached) -> PrettyNode {
        guard let identity = stack.pointer(at: index), stack.reserve(6) else { return .note("{…}") }
        if path.contains(identity) { return .note("<cycle>") }
        var node = PrettyTable(typeName: metatableName(index))
        stack.pushNil()
        let hasEntries = stack.next(index)
        if hasEntries { stack.pop(2) }
        guard hasEntries else { return .table(node) }
        guard depth < options.depth, entries < options.totalEntries else {
            node.omitted = 1
            return .note("{…}")
        }
        path.insert(identity)
        defer { path.remove(identity) }

        // First pass: which entries come first in key order (at most `items`).
        let wanted = min(options.items, options.totalEntries - entries)
        var first = SmallestKeys(capacity: max(wanted, 0))
        var total = 0
        stack.pushNil()
        while stack.next(index) {
            first.offer(sortKey(stack.absolute(-2)), ordinal: total)
            total += 1
            stack.pop()
            if total & 1023 == 0 { try count(0) }
        }
        let chosen = first.ordinals()
        // Second pass: read the chosen entries (the order of `next` is the same while the
        // table does not change, and nothing here changes it).
        var read: [(SortKey, PrettyKey, PrettyNode)] = []
        read.reserveCapacity(chosen.count)
        var ordinal = 0
        stack.pushNil()
        while stack.next(index) {
            if let key = chosen[ordinal] {
                entries += 1
                let keyIndex = stack.absolute(-2)
                read.append((key, keyText(keyIndex), try self.read(-1, depth: depth + 1)))
                try count(32)
            }
            ordinal += 1
            stack.pop()
        }
        read.sort { $0.0 < $1.0 }
        var position: Int64 = 1
        for (key, text, value) in read {
            if node.keyed.isEmpty, case .number(let number, let integer) = key, integer == position,
                Double(position) == number
            {
                node.positional.append(value)
                position += 1
            } else {
                node.keyed.append((text, value))
            }
        }
        node.omitted = total - read.count
        return .table(node)
    }

    /// Counts `more` bytes toward what the nodes hold and checks the script's limits.
    private mutating func count(_ more: Int) throws(LuaLimitReached) {
        bytes += more
        // Swift strings and arrays take a few times the text they hold.
        guard stack.withinLimits(reserving: 4 * bytes) else { throw LuaLimitReached() }
    }

    private func metatableName(_ index: Int32) -> String? {
        guard stack.pushMetatable(index) else { return nil }
        defer { stack.pop(2) }
        guard stack.rawGet(-1, field: "__name") == .string, let name = stack.string(at: -1) else {
            return nil
        }
        // The json markers only say how an empty table encodes; no need to show them.
        return name.hasPrefix("json.") ? nil : String(name.prefix(64))
    }

    private func keyText(_ index: Int32) -> PrettyKey {
        switch stack.type(at: index) {
        case .string:
            let name = stack.string(at: index)
            if let name, LuaName.isIdentifier(name) { return PrettyKey(text: PrettyText(name), name: name) }
            let quoted = stack.withBytes(at: index) { Self.quoted($0, limit: options.stringBytes) } ?? "\"\""
            return PrettyKey(text: PrettyText("[\(quoted)]"))
        case .number: return PrettyKey(text: PrettyText("[\(Self.numberText(stack, index))]"))
        case .boolean: return PrettyKey(text: PrettyText(stack.boolean(at: index) ? "[true]" : "[false]"))
        default: return PrettyKey(text: PrettyText("[<\(stack.typeName(at: index))>]"))
        }
    }

    private func sortKey(_ index: Int32) -> SortKey {
        switch stack.type(at: index) {
        case .number:
            if let integer = stack.integer(at: index) { return .number(Double(integer), integer) }
            return .number(stack.number(at: index) ?? 0, nil)
        case .string: return .string(stack.withBytes(at: index) { Array($0.prefix(256)) } ?? [])
        case .boolean: return .boolean(stack.boolean(at: index))
        default: return .other(stack.type(at: index).rawValue)
        }
    }

    // MARK: text of scalars

    /// A number as Lua's `tostring` writes it (`%.14g`, floats with integral values as `3.0`).
    static func numberText(_ stack: LuaStack, _ index: Int32) -> String {
        if let integer = stack.integer(at: index) { return String(integer) }
        let value = stack.number(at: index) ?? 0
        if value.isNaN { return value.sign == .minus ? "-nan" : "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        var buffer = [CChar](repeating: 0, count: 64)
        let written = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.14g", $0) }
        var text = String(
            decoding: buffer.prefix(max(0, Int(written))).map { UInt8(bitPattern: $0) },
            as: UTF8.self
        )
        if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "n" || $0 == "i" }) { text += ".0" }
        return text
    }

    /// A quoted string's text as a cell shows it: without the quotes, unless it is empty.
    static func unquoted(_ quoted: String) -> String {
        guard quoted.count > 2, quoted.hasPrefix("\""), let close = quoted.lastIndex(of: "\"") else {
            return quoted
        }
        let inner = quoted[quoted.index(after: quoted.startIndex)..<close]
        return String(inner) + quoted[quoted.index(after: close)...]
    }

    /// The bytes as a Lua string literal: printable UTF-8 as it is, the rest escaped; past
    /// `limit` bytes, cut with a note of how much was left out.
    static func quoted(_ bytes: UnsafeRawBufferPointer, limit: Int) -> String {
        let shown = UnsafeRawBufferPointer(rebasing: bytes.prefix(limit))
        var out = "\""
        func append(_ scalar: UnicodeScalar) { LuaName.appendEscaped(scalar, to: &out) }
        if let text = String(validating: shown, as: UTF8.self) {
            for scalar in text.unicodeScalars { append(scalar) }
        } else {
            // Not UTF-8 (or a character cut at the limit): bytes past ASCII as Lua escapes.
            for byte in shown {
                if byte < 0x80 { append(UnicodeScalar(byte)) } else { out += "\\\(byte)" }
            }
        }
        out += "\""
        if bytes.count > limit { out += "…(\(bytes.count - limit) more bytes)" }
        return out
    }
}

/// What `pp` shows at most.
public struct PrettyOptions: Sendable {
    /// Tables nested deeper than this are shown as `{…}`.
    public var depth = 5
    /// Entries shown per table (the rest as `… N more`).
    public var items = 100
    /// Entries shown in all, so a wide and deep value stays a screenful or so.
    public var totalEntries = 10_000
    /// Bytes of a string shown.
    public var stringBytes = 4_096
    /// Columns to fit in.
    public var width = 80
    public var colour = false

    public init() {}
}

/// Orders keys as `pp` shows them: numbers, then strings, then booleans, then the rest.
enum SortKey: Comparable {
    case number(Double, Int64?)
    case string([UInt8])
    case boolean(Bool)
    case other(Int32)

    private var rank: Int {
        switch self {
        case .number: 0
        case .string: 1
        case .boolean: 2
        case .other: 3
        }
    }

    static func < (a: SortKey, b: SortKey) -> Bool {
        switch (a, b) {
        case (.number(let x, let i), .number(let y, let j)):
            if let i, let j { return i < j }
            return x < y
        case (.string(let x), .string(let y)): return x.lexicographicallyPrecedes(y)
        case (.boolean(let x), .boolean(let y)): return !x && y
        case (.other(let x), .other(let y)): return x < y
        default: return a.rank < b.rank
        }
    }

    static func == (a: SortKey, b: SortKey) -> Bool { !(a < b) && !(b < a) }
}

/// The `capacity` smallest keys offered, kept in bounded memory (a table may have millions).
struct SmallestKeys {
    let capacity: Int
    private var kept: [(key: SortKey, ordinal: Int)] = []

    init(capacity: Int) { self.capacity = capacity }

    mutating func offer(_ key: SortKey, ordinal: Int) {
        guard capacity > 0 else { return }
        kept.append((key, ordinal))
        if kept.count >= 2 * capacity + 64 { trim() }
    }

    private mutating func trim() {
        kept.sort { $0.key < $1.key }
        kept.removeSubrange(min(capacity, kept.count)...)
    }

    /// The chosen entries by their position in the walk.
    mutating func ordinals() -> [Int: SortKey] {
        trim()
        var chosen: [Int: SortKey] = [:]
        for entry in kept { chosen[entry.ordinal] = entry.key }
        return chosen
    }
}
