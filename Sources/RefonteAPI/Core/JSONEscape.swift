/// Reading the escape after a backslash in a JSON string, shared by `JSONValue`'s parser and
/// the Lua decoder so that both accept and refuse the same escapes. Each keeps its own wording
/// of a refusal.
public enum JSONEscape {
    public struct Failure: Error {
        public enum Kind: Sendable {
            case unterminated
            /// The byte after the backslash is not an escape letter.
            case invalid(UInt8)
            /// Fewer than four bytes after `\u`.
            case truncatedHex
            case badHexDigit
            /// A high surrogate without a `\u` right after it.
            case missingLowSurrogate
            /// A high surrogate followed by a `\u` that is not a low surrogate.
            case badLowSurrogate
            /// A low surrogate on its own.
            case loneLowSurrogate
        }

        public var kind: Kind
        /// The offset of the backslash.
        public var escapeStart: Int
        /// The offset where reading stopped.
        public var offset: Int
    }

    /// Why the rest of a string could not be read.
    public enum StringFailure: Error {
        /// The input ended before the closing quote.
        case unterminated
        /// A raw control character (below 0x20) at `index`.
        case controlCharacter
        case escape(Failure)
    }

    /// Appends the unescaped bytes of a JSON string from `index` up to its closing quote to
    /// `out`, and moves `index` past that quote. The bytes are not checked for UTF-8.
    public static func readString<Bytes: RandomAccessCollection<UInt8>>(
        _ bytes: Bytes,
        at index: inout Int,
        into out: inout [UInt8]
    ) throws(StringFailure) where Bytes.Index == Int {
        while true {
            guard index < bytes.endIndex else { throw .unterminated }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"):
                index += 1
                do throws(Failure) {
                    try read(bytes, at: &index, into: &out)
                } catch {
                    throw .escape(error)
                }
            case 0x00..<0x20:
                throw .controlCharacter
            default:
                out.append(byte)
                index += 1
            }
        }
    }

    /// Appends the UTF-8 of the escape whose letter is at `index` (just after the backslash)
    /// to `out`, and moves `index` past it.
    public static func read<Bytes: RandomAccessCollection<UInt8>>(
        _ bytes: Bytes,
        at index: inout Int,
        into out: inout [UInt8]
    ) throws(Failure) where Bytes.Index == Int {
        let escapeStart = index - 1
        func failure(_ kind: Failure.Kind) -> Failure {
            Failure(kind: kind, escapeStart: escapeStart, offset: index)
        }
        guard index < bytes.endIndex else { throw failure(.unterminated) }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            func hex4() throws(Failure) -> UInt32 {
                guard index + 4 <= bytes.endIndex else { throw failure(.truncatedHex) }
                guard let value = JSONText.hex4(bytes, at: index) else { throw failure(.badHexDigit) }
                index += 4
                return UInt32(value)
            }
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard index + 1 < bytes.endIndex, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                else { throw failure(.missingLowSurrogate) }
                index += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw failure(.badLowSurrogate) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw failure(.loneLowSurrogate)
            }
            // Every value left is a scalar: surrogates were handled above.
            out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
        default:
            throw failure(.invalid(byte))
        }
    }
}
