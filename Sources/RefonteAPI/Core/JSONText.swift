/// Byte-level pieces of JSON text shared by every encoder and decoder in the package (the
/// client's, the sandbox's and Lua's `json`), so that a string is quoted, a number written and a
/// `\u` escape read the same way everywhere.
public enum JSONText {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `text` as a quoted JSON string: `"`, `\`, control characters and DEL escaped.
    public static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        appendQuoted(utf8: text.utf8, to: &out)
    }

    /// The same for bytes already known to be UTF-8.
    public static func appendQuoted(utf8 bytes: some Sequence<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x00..<0x20, 0x7F:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30])
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// How many bytes `appendQuoted(utf8:to:)` appends for `bytes`, quotes included.
    public static func quotedLength(utf8 bytes: some Sequence<UInt8>) -> Int {
        var length = 2
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x0A, 0x0D, 0x09, 0x08, 0x0C: length += 2
            case 0x00..<0x20, 0x7F: length += 6
            default: length += 1
            }
        }
        return length
    }

    /// Appends a double as JSON: Swift's shortest text that reads back as the same double,
    /// always with a '.' or an exponent (`3.0`, `1e-05`) so that it stays a double. JSON has no
    /// NaN or infinity: for those nothing is appended and the result is false; the caller
    /// refuses the value (`json.encode`, argument checks) or, for a value that was checked on
    /// the way in, writes `null`.
    @discardableResult
    public static func appendNumber(_ value: Double, to out: inout [UInt8]) -> Bool {
        guard value.isFinite else { return false }
        out.append(contentsOf: value.description.utf8)
        return true
    }

    /// The value of one hexadecimal digit, either case; nil for any other byte.
    public static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The four hex digits of a `\u` escape starting at `index`; nil when they are not there.
    public static func hex4<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at index: Int) -> UInt16?
    where Bytes.Index == Int {
        guard index >= bytes.startIndex, index + 4 <= bytes.endIndex else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            guard let digit = hexValue(bytes[index + offset]) else { return nil }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
