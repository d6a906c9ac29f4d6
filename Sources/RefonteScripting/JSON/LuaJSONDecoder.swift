import LuaRuntime
import RefonteAPI

/// Parses JSON and pushes the value straight onto a Lua stack, with no intermediate tree.
///
/// Arrays and objects get the `json.array`/`json.object` metatables; `null` is `json.null`;
/// a number without fraction or exponent that fits 64 bits is an integer.
///
/// Every value it makes counts toward the script's memory cap as it goes (`withinLimits`), so
/// a document that would decode to more than the cap stops at the cap.
public struct LuaJSONDecoder {
    public static let maximumDepth = 512

    /// Pushes the value of `bytes` onto `stack`, or pushes nothing and throws.
    public static func decode(_ bytes: UnsafeRawBufferPointer, onto stack: LuaStack) throws(JSONError) {
        let base = stack.top
        // The markers, and room for a scalar document.
        guard stack.reserve(4) else { throw JSONError.invalid("the Lua stack is full", at: 0) }
        JSONMarkers.push(JSONMarkers.nullKey, on: stack)
        JSONMarkers.push(JSONMarkers.arrayKey, on: stack)
        JSONMarkers.push(JSONMarkers.objectKey, on: stack)
        var decoder = LuaJSONDecoder(bytes: bytes, stack: stack, markers: base + 1)
        do throws(JSONError) {
            decoder.skipSpace()
            try decoder.value(depth: 0)
            decoder.skipSpace()
            if decoder.index < bytes.count { throw decoder.invalid("unexpected data after the value") }
        } catch {
            stack.setTop(base)
            throw error
        }
        stack.remove(base + 1)
        stack.remove(base + 1)
        stack.remove(base + 1)
    }

    public static func decode(_ bytes: [UInt8], onto stack: LuaStack) throws(JSONError) {
        var failure: JSONError?
        bytes.withUnsafeBytes { buffer in
            do throws(JSONError) { try decode(buffer, onto: stack) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private let bytes: UnsafeRawBufferPointer
    private let stack: LuaStack
    private let markers: Int32
    private var index = 0

    private init(bytes: UnsafeRawBufferPointer, stack: LuaStack, markers: Int32) {
        self.bytes = bytes
        self.stack = stack
        self.markers = markers
    }

    private var nullMarker: Int32 { markers }
    private var arrayMarker: Int32 { markers + 1 }
    private var objectMarker: Int32 { markers + 2 }

    private func invalid(_ what: String) -> JSONError { .invalid(what, at: index) }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Checks the depth and makes room on the Lua stack for a container at `depth`: its
    /// table, a key, a value, a metatable and a shape table. Scalars use the room their
    /// container made.
    private func enter(depth: Int) throws(JSONError) {
        guard depth < Self.maximumDepth else {
            throw invalid("nested deeper than \(Self.maximumDepth) levels")
        }
        guard stack.reserve(6) else { throw invalid("too deeply nested for the Lua stack") }
    }

    private mutating func value(depth: Int) throws(JSONError) {
        guard depth < Self.maximumDepth else {
            throw invalid("nested deeper than \(Self.maximumDepth) levels")
        }
        guard let byte = current else { throw invalid("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "{"):
            try enter(depth: depth)
            var alone: Shape?
            try object(depth: depth, shape: &alone)
        case UInt8(ascii: "["):
            try enter(depth: depth)
            try array(depth: depth)
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"):
            try literal("true")
            stack.push(true)
        case UInt8(ascii: "f"):
            try literal("false")
            stack.push(false)
        case UInt8(ascii: "n"):
            try literal("null")
            stack.copy(nullMarker)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw invalid("unexpected \(Self.describe(byte)), expected a value")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONError) {
        let count = word.utf8CodeUnitCount
        let matches =
            index + count <= bytes.count
            && (0..<count).allSatisfy { bytes[index + $0] == word.utf8Start[$0] }
        guard matches else { throw invalid("expected '\(word)'") }
        index += count
    }

    private mutating func array(depth: Int) throws(JSONError) {
        index += 1
        stack.newTable()
        stack.copy(arrayMarker)
        stack.setMetatable(-2)
        let table = stack.top
        skipSpace()
        if current == UInt8(ascii: "]") {
            index += 1
            return
        }
        var shape: Shape?
        var position: Int64 = 1
        while true {
            skipSpace()
            if current == UInt8(ascii: "{") {
                try enter(depth: depth + 1)
                if shape == nil {
                    stack.newTable()
                    shape = Shape(keys: stack.top)
                }
                try object(depth: depth + 1, shape: &shape)
            } else {
                try value(depth: depth + 1)
            }
            stack.rawSet(table, index: position)
            guard stack.withinLimits() else { throw .memory }
            position += 1
            skipSpace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                stack.setTop(table)
                return
            case nil: throw invalid("unexpected end of input, expected ',' or ']'")
            case let byte?: throw invalid("unexpected \(Self.describe(byte)), expected ',' or ']'")
            }
        }
    }

    /// The member names of the previous object in an array. API lists hold objects of one
    /// shape, so the next object's table is made the right size at once, and a name equal to
    /// the one at the same position before is pushed from `keys` (a Lua table on the stack)
    /// instead of being hashed and interned again.
    private struct Shape {
        /// Stack index of the table holding the previous object's names, by position.
        let keys: Int32
        /// Where each name was in the input; empty when it held an escape.
        var names: [Range<Int>] = []
    }

    private mutating func object(depth: Int, shape: inout Shape?) throws(JSONError) {
        index += 1
        stack.newTable(recordCount: Int32(shape?.names.count ?? 0))
        stack.copy(objectMarker)
        stack.setMetatable(-2)
        skipSpace()
        if current == UInt8(ascii: "}") {
            index += 1
            return
        }
        var position = 0
        while true {
            skipSpace()
            guard current == UInt8(ascii: "\"") else {
                throw current == nil
                    ? invalid("unexpected end of input, expected a member name")
                    : invalid("unexpected \(Self.describe(current!)), expected a member name in quotes")
            }
            if shape == nil {
                try string()
            } else {
                try name(at: position, shape: &shape!)
            }
            skipSpace()
            guard current == UInt8(ascii: ":") else { throw invalid("expected ':' after a member name") }
            index += 1
            skipSpace()
            try value(depth: depth + 1)
            stack.rawSet(-3)
            guard stack.withinLimits() else { throw .memory }
            position += 1
            skipSpace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return
            case nil: throw invalid("unexpected end of input, expected ',' or '}'")
            case let byte?: throw invalid("unexpected \(Self.describe(byte)), expected ',' or '}'")
            }
        }
    }

    /// Pushes the member name at `index` (its opening quote), reusing the string of the
    /// previous object's name at the same position when the bytes are the same. Those bytes
    /// were checked when first seen, so equal bytes need no second check.
    private mutating func name(at position: Int, shape: inout Shape) throws(JSONError) {
        let start = index + 1
        if position < shape.names.count {
            let previous = shape.names[position]
            let end = start + previous.count
            if previous.lowerBound >= 0, end < bytes.count, bytes[end] == UInt8(ascii: "\""),
                Self.equal(bytes, previous.lowerBound, start, count: previous.count)
            {
                stack.rawGet(shape.keys, index: Int64(position + 1))
                index = end + 1
                return
            }
        }
        let raw = try string()
        // A name that held an escape is not compared later: its bytes are not its value.
        let range = raw ? start..<(index - 1) : -1 ..< -1
        stack.copy(-1)
        stack.rawSet(shape.keys, index: Int64(position + 1))
        if position < shape.names.count {
            shape.names[position] = range
        } else {
            shape.names.append(range)
        }
    }

    private static func equal(_ bytes: UnsafeRawBufferPointer, _ a: Int, _ b: Int, count: Int) -> Bool {
        var i = 0
        while i < count {
            if bytes[a + i] != bytes[b + i] { return false }
            i += 1
        }
        return true
    }

    /// Pushes the string at `index` (its opening quote); true when its bytes were pushed as
    /// they are (no escapes).
    @discardableResult
    private mutating func string() throws(JSONError) -> Bool {
        index += 1
        let start = index
        // Fast path: no escapes, so the bytes are pushed as they are. One pass finds the end
        // and notes whether any byte needs the UTF-8 check.
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x80 {
                ascii = false
            } else if byte == UInt8(ascii: "\"") {
                let range = start..<index
                if !ascii { try validateUTF8(range) }
                guard stack.withinLimits(reserving: range.count) else { throw .memory }
                stack.push(bytes: UnsafeRawBufferPointer(rebasing: bytes[range]))
                index += 1
                return true
            } else if byte == UInt8(ascii: "\\") {
                break
            } else if byte < 0x20 {
                throw invalid("control character in a string (escape it)")
            }
            index += 1
        }
        // With escapes the text is built in a buffer, which counts toward the cap: it is at
        // most as long as the rest of the input up to the closing quote.
        let room = Self.lengthToClosingQuote(bytes, from: index) + (index - start)
        guard stack.charge(room) else { throw .memory }
        defer { stack.releaseCharge(room) }
        var text = Array(bytes[start..<index])
        text.reserveCapacity(room)
        do throws(JSONEscape.StringFailure) {
            try JSONEscape.readString(bytes, at: &index, into: &text)
        } catch {
            switch error {
            case .unterminated: throw JSONError.invalid("unterminated string", at: start - 1)
            case .controlCharacter: throw invalid("control character in a string (escape it)")
            case .escape(let failure): throw escapeError(failure)
            }
        }
        try validateUTF8(text, from: start)
        guard stack.withinLimits(reserving: text.count) else { throw .memory }
        stack.push(bytes: text)
        return false
    }

    /// Bytes from `start` to the quote that ends the string (or to the end of the input).
    private static func lengthToClosingQuote(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""): return index - start
            case UInt8(ascii: "\\"): index += 2
            default: index += 1
            }
        }
        return bytes.count - start
    }

    private func escapeError(_ error: JSONEscape.Failure) -> JSONError {
        let at = error.offset
        switch error.kind {
        case .unterminated: return .invalid("unterminated escape", at: at)
        case .invalid(let byte):
            let shown =
                (0x21..<0x7F).contains(byte)
                ? String(Character(Unicode.Scalar(byte))) : Self.describe(byte)
            return .invalid("invalid escape '\\\(shown)'", at: error.escapeStart)
        case .truncatedHex, .badHexDigit: return .invalid("\\u needs four hex digits", at: at)
        case .missingLowSurrogate:
            return .invalid("a high surrogate must be followed by a \\u low surrogate", at: at)
        case .badLowSurrogate: return .invalid("invalid low surrogate", at: at)
        case .loneLowSurrogate: return .invalid("unpaired low surrogate", at: at)
        }
    }

    private func validateUTF8(_ range: Range<Int>) throws(JSONError) {
        if String(validating: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self) == nil {
            throw JSONError.invalid("string is not valid UTF-8", at: range.lowerBound - 1)
        }
    }

    private func validateUTF8(_ text: [UInt8], from start: Int) throws(JSONError) {
        if String(validating: text, as: UTF8.self) == nil {
            throw JSONError.invalid("string is not valid UTF-8", at: start - 1)
        }
    }

    private mutating func number() throws(JSONError) {
        let start = index
        var isInteger = true
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            throw invalid("expected a digit")
        }
        if first == UInt8(ascii: "0") {
            index += 1
            if let next = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next) {
                throw invalid("a number cannot have a leading zero")
            }
        } else {
            skipDigits()
        }
        if current == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard skipDigits() > 0 else { throw invalid("expected a digit after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { throw invalid("expected a digit in the exponent") }
        }
        if isInteger, let integer = integer(start..<index) {
            stack.push(integer)
            return
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let integer = Int64(text) {
            stack.push(integer)
        } else if let double = Double(text) {
            stack.push(double)
        } else {
            throw JSONError.invalid("number out of range", at: start)
        }
    }

    /// The integer of an optional '-' and at most 18 digits (which cannot overflow), else nil.
    private func integer(_ range: Range<Int>) -> Int64? {
        var i = range.lowerBound
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        guard range.upperBound - i <= 18 else { return nil }
        var value: Int64 = 0
        while i < range.upperBound {
            value = value * 10 + Int64(bytes[i] &- UInt8(ascii: "0"))
            i += 1
        }
        return negative ? -value : value
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = index
        while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
        return index - start
    }

    private static func describe(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte)
            ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }
}
