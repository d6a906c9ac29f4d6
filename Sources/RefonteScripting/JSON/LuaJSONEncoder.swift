import LuaRuntime
import RefonteAPI

/// Writes the Lua value at a stack index as JSON.
///
/// A table marked by `json.array`/`json.object` (as decoded tables are) keeps its kind. An
/// unmarked table is an array when its keys are exactly 1...n (an empty one is `[]`), and an
/// object when its keys are strings (integer keys become their decimal text). Object members
/// are written in byte order of their names, so the output is stable.
///
/// The text is built within the script's memory cap: room is counted (`LuaStack.charge`)
/// before each piece is appended, so a huge string or table hits `--max-memory` instead of
/// growing the host past it.
public struct LuaJSONEncoder {
    public struct Options: Sendable {
        /// Two-space indentation and a newline between members.
        public var pretty: Bool
        /// The most bytes of text to make; past it, encoding stops with an error.
        public var maximumBytes: Int?
        /// A dry run's placeholder (`refonte.unknown`) becomes the text `(known after apply)`,
        /// or, for the arguments of an API call, the marker that says what it stands for.
        public var placeholderMarkers: Bool
        public init(pretty: Bool = false, maximumBytes: Int? = nil, placeholderMarkers: Bool = false) {
            self.pretty = pretty
            self.maximumBytes = maximumBytes
            self.placeholderMarkers = placeholderMarkers
        }
    }

    public static let maximumDepth = 512

    public static func encode(
        _ stack: LuaStack,
        at index: Int32,
        options: Options = Options()
    ) throws(JSONError)
        -> [UInt8]
    {
        let target = stack.absolute(index)
        let base = stack.top
        defer { stack.setTop(base) }
        JSONMarkers.push(JSONMarkers.nullKey, on: stack)
        JSONMarkers.push(JSONMarkers.arrayKey, on: stack)
        JSONMarkers.push(JSONMarkers.objectKey, on: stack)
        JSONMarkers.push(PlaceholderValue.metatableKey, on: stack)
        var encoder = LuaJSONEncoder(stack: stack, markers: base + 1, options: options)
        defer { stack.releaseCharge(encoder.charged) }
        try encoder.value(at: target, path: "$", depth: 0)
        return encoder.output
    }

    private let stack: LuaStack
    private let markers: Int32
    private let options: Options
    private var output: [UInt8] = []
    private var visiting = Set<UnsafeRawPointer>()
    /// Bytes of `output`'s capacity counted toward the memory cap.
    private var charged = 0

    private init(stack: LuaStack, markers: Int32, options: Options) {
        self.stack = stack
        self.markers = markers
        self.options = options
    }

    /// Makes room for `extra` more bytes of output, counting it toward the memory cap.
    private mutating func reserve(_ extra: Int) throws(JSONError) {
        let needed = output.count + extra
        if let maximum = options.maximumBytes, needed > maximum { throw .tooLong(maximum) }
        guard needed > charged else { return }
        let capacity = max(needed, charged * 2, 256)
        guard stack.charge(capacity - charged) else { throw .memory }
        charged = capacity
        output.reserveCapacity(capacity)
    }

    private mutating func value(at index: Int32, path: String, depth: Int) throws(JSONError) {
        // Enough for any literal or number; strings and containers reserve their own.
        try reserve(32)
        switch stack.type(at: index) {
        case .nil, .none: append("null")
        case .boolean: append(stack.boolean(at: index) ? "true" : "false")
        case .number:
            if let integer = stack.integer(at: index) {
                append(String(integer))
            } else if !JSONText.appendNumber(stack.number(at: index) ?? .nan, to: &output) {
                throw .unencodable("NaN and infinity have no JSON form", at: path)
            }
        case .string:
            let ok =
                try stack.withBytes(at: index) { bytes in
                    Result { () throws(JSONError) in try appendString(bytes) }
                }?.get() ?? false
            guard ok else { throw .unencodable("the string is not valid UTF-8", at: path) }
        case .userdata where stack.rawEqual(index, markers):
            append("null")
        case .table:
            try table(at: index, path: path, depth: depth)
        case let type:
            throw .unencodable("a \(type.name) has no JSON form", at: path)
        }
    }

    private enum Kind { case array, object, unmarked }

    private mutating func table(at index: Int32, path: String, depth: Int) throws(JSONError) {
        guard depth < Self.maximumDepth, stack.reserve(6) else {
            throw .unencodable("nested deeper than \(Self.maximumDepth) levels", at: path)
        }
        guard let pointer = stack.pointer(at: index), visiting.insert(pointer).inserted else {
            throw .unencodable("the table contains itself", at: path)
        }
        defer { visiting.remove(pointer) }

        var kind = Kind.unmarked
        if stack.pushMetatable(index) {
            if stack.rawEqual(-1, markers + 1) { kind = .array }
            if stack.rawEqual(-1, markers + 2) { kind = .object }
            let placeholder = stack.rawEqual(-1, markers + 3)
            stack.pop()
            if placeholder {
                let marker = options.placeholderMarkers ? PlaceholderValue.marker(at: index, on: stack) : nil
                let text = Array((marker ?? Placeholder.text).utf8)
                var failure: JSONError?
                text.withUnsafeBytes { bytes in
                    do throws(JSONError) { _ = try appendString(bytes) } catch { failure = error }
                }
                if let failure { throw failure }
                return
            }
        }

        // One pass over the keys: how many, whether they form 1...n, and the names of an object.
        var count = 0
        var maxInteger: Int64 = 0
        var allPositiveIntegers = true
        var members: [(name: [UInt8], key: MemberKey)] = []
        // The names are copied out (twice, with the sorted copy): counted toward the cap too.
        var namesCharged = 0
        var namesBytes = 0
        defer { stack.releaseCharge(namesCharged) }
        stack.pushNil()
        while stack.next(index) {
            count += 1
            namesBytes += (stack.withBytes(at: -2) { $0.count } ?? 20) + 64
            if 2 * namesBytes > namesCharged {
                let wanted = max(2 * namesBytes, 2 * namesCharged)
                guard stack.charge(wanted - namesCharged) else {
                    stack.pop(2)
                    throw .memory
                }
                namesCharged = wanted
            }
            if let integer = stack.integer(at: -2) {
                if integer >= 1 { maxInteger = max(maxInteger, integer) } else { allPositiveIntegers = false }
                members.append((Array(String(integer).utf8), .integer(integer)))
            } else if let name = stack.bytes(at: -2) {
                allPositiveIntegers = false
                members.append((name, .string))
            } else {
                allPositiveIntegers = false
                if kind != .array {
                    let keyType = stack.typeName(at: -2)
                    stack.pop(2)
                    throw .unencodable("a JSON object key must be a string, not a \(keyType)", at: path)
                }
            }
            stack.pop()
        }
        if kind == .unmarked {
            kind = allPositiveIntegers && maxInteger == Int64(count) ? .array : .object
        }
        if kind == .array {
            try array(at: index, length: stack.rawLength(index), path: path, depth: depth)
        } else {
            try object(at: index, members: members, path: path, depth: depth)
        }
    }

    private enum MemberKey { case integer(Int64), string }

    private mutating func array(at index: Int32, length: Int, path: String, depth: Int) throws(JSONError) {
        append("[")
        for position in 1...max(1, length) where length > 0 {
            try reserve(2 + (options.pretty ? 2 * depth + 3 : 0))
            if position > 1 { append(",") }
            newline(depth + 1)
            stack.rawGet(index, index: Int64(position))
            try value(at: stack.top, path: "\(path)[\(position)]", depth: depth + 1)
            stack.pop()
        }
        try reserve(2 + (options.pretty ? 2 * depth + 1 : 0))
        if length > 0 { newline(depth) }
        append("]")
    }

    private mutating func object(
        at index: Int32,
        members: [(name: [UInt8], key: MemberKey)],
        path: String,
        depth: Int
    ) throws(JSONError) {
        append("{")
        let sorted = members.sorted { $0.name.lexicographicallyPrecedes($1.name) }
        for (offset, member) in sorted.enumerated() {
            try reserve(4 + (options.pretty ? 2 * depth + 4 : 0))
            if offset > 0 { append(",") }
            newline(depth + 1)
            let ok = try member.name.withUnsafeBytes { bytes in
                Result { () throws(JSONError) in try appendString(bytes) }
            }.get()
            let name = String(decoding: member.name, as: UTF8.self)
            guard ok else { throw .unencodable("a member name is not valid UTF-8", at: path) }
            append(options.pretty ? ": " : ":")
            switch member.key {
            case .integer(let integer): stack.rawGet(index, index: integer)
            case .string:
                stack.push(bytes: member.name)
                _ = stack.rawGetTop(index)
            }
            try value(at: stack.top, path: "\(path).\(name)", depth: depth + 1)
            stack.pop()
        }
        try reserve(2 + (options.pretty ? 2 * depth + 1 : 0))
        if !members.isEmpty { newline(depth) }
        append("}")
    }

    private mutating func newline(_ depth: Int) {
        guard options.pretty else { return }
        output.append(0x0A)
        output.append(contentsOf: repeatElement(0x20, count: depth * 2))
    }

    private mutating func append(_ text: String) { output.append(contentsOf: text.utf8) }

    /// Appends `bytes` as a JSON string; false when they are not valid UTF-8.
    private mutating func appendString(_ bytes: UnsafeRawBufferPointer) throws(JSONError) -> Bool {
        if bytes.contains(where: { $0 >= 0x80 }), String(validating: bytes, as: UTF8.self) == nil {
            return false
        }
        // The exact length first, so the room is counted before the text is made.
        try reserve(JSONText.quotedLength(utf8: bytes))
        JSONText.appendQuoted(utf8: bytes, to: &output)
        return true
    }
}
