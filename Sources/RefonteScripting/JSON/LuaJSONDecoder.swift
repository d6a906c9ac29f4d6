import LuaRuntime
import RefonteAPI

/// Parses JSON and pushes the value straight onto a Lua stack, with no intermediate tree.
///
/// Arrays and objects get the `json.array`/`json.object` metatables; `null` is `json.null`;
/// a number without fraction or exponent that fits 64 bits is an integer.
public struct LuaJSONDecoder {
    public static let maximumDepth = 512

    /// Pushes the value of `bytes` onto `stack`, or pushes nothing and throws.
    public static func decode(_ bytes: UnsafeRawBufferPointer, onto stack: LuaStack) throws(JSONError) {
        let base = stack.top
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

    private mutating func value(depth: Int) throws(JSONError) {
        guard depth < Self.maximumDepth else {
            throw invalid("nested deeper than \(Self.maximumDepth) levels")
        }
        guard stack.reserve(4) else { throw invalid("too deeply nested for the Lua stack") }
        guard let byte = current else { throw invalid("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "{"): try object(depth: depth)
        case UInt8(ascii: "["): try array(depth: depth)
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
        skipSpace()
        if current == UInt8(ascii: "]") {
            index += 1
            return
        }
        var position: Int64 = 1
        while true {
            skipSpace()
            try value(depth: depth + 1)
            stack.rawSet(-2, index: position)
            position += 1
            skipSpace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return
            case nil: throw invalid("unexpected end of input, expected ',' or ']'")
            case let byte?: throw invalid("unexpected \(Self.describe(byte)), expected ',' or ']'")
            }
        }
    }

    private mutating func object(depth: Int) throws(JSONError) {
        index += 1
        stack.newTable()
        stack.copy(objectMarker)
        stack.setMetatable(-2)
        skipSpace()
        if current == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipSpace()
            guard current == UInt8(ascii: "\"") else {
                throw current == nil
                    ? invalid("unexpected end of input, expected a member name")
                    : invalid("unexpected \(Self.describe(current!)), expected a member name in quotes")
            }
            try string()
            skipSpace()
            guard current == UInt8(ascii: ":") else { throw invalid("expected ':' after a member name") }
            index += 1
            skipSpace()
            try value(depth: depth + 1)
            stack.rawSet(-3)
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

    private mutating func string() throws(JSONError) {
        index += 1
        let start = index
        // Fast path: no escapes, so the bytes are pushed as they are.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                try validateUTF8(start..<index)
                stack.push(bytes: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
                index += 1
                return
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw invalid("control character in a string (escape it)") }
            index += 1
        }
        var text = Array(bytes[start..<index])
        while true {
            guard index < bytes.count else { throw JSONError.invalid("unterminated string", at: start - 1) }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                try validateUTF8(text, from: start)
                stack.push(bytes: text)
                index += 1
                return
            case UInt8(ascii: "\\"):
                index += 1
                try escape(into: &text)
            case 0..<0x20:
                throw invalid("control character in a string (escape it)")
            default:
                text.append(byte)
                index += 1
            }
        }
    }

    private mutating func escape(into text: inout [UInt8]) throws(JSONError) {
        guard let byte = current else { throw invalid("unterminated escape") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(byte)
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "r"): text.append(0x0D)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard current == UInt8(ascii: "\\"), index + 1 < bytes.count,
                    bytes[index + 1] == UInt8(ascii: "u")
                else { throw invalid("a high surrogate must be followed by a \\u low surrogate") }
                index += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw invalid("invalid low surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw invalid("unpaired low surrogate")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw invalid("invalid \\u escape") }
            text.append(contentsOf: String(Character(unicode)).utf8)
        default:
            index -= 2
            let shown =
                (0x21..<0x7F).contains(byte) ? String(Character(Unicode.Scalar(byte))) : Self.describe(byte)
            throw invalid("invalid escape '\\\(shown)'")
        }
    }

    private mutating func hex4() throws(JSONError) -> UInt32 {
        guard let value = JSONText.hex4(bytes, at: index) else { throw invalid("\\u needs four hex digits") }
        index += 4
        return UInt32(value)
    }

    private func validateUTF8(_ range: Range<Int>) throws(JSONError) {
        var ascii = true
        for i in range where bytes[i] >= 0x80 {
            ascii = false
            break
        }
        if ascii { return }
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
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let integer = Int64(text) {
            stack.push(integer)
        } else if let double = Double(text) {
            stack.push(double)
        } else {
            throw JSONError.invalid("number out of range", at: start)
        }
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
