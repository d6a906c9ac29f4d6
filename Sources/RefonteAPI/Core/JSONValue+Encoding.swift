extension JSONValue {
    /// Compact JSON bytes with object keys sorted by their UTF-8 bytes, so that the same value
    /// always gives the same bytes (plans, audit records and tests compare them). Numbers are
    /// written by `JSONText.appendNumber`; a NaN or infinity, which no checked value holds, is
    /// written as `null`.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        write(into: &out, indent: nil)
        return out
    }

    /// The same, indented by two spaces, with a final newline: for people (`refonte openapi`).
    public func encodedPretty() -> [UInt8] {
        var out: [UInt8] = []
        write(into: &out, indent: 0)
        out.append(0x0A)
        return out
    }

    /// `encoded()` as a String.
    public var jsonText: String { String(decoding: encoded(), as: UTF8.self) }

    private func write(into out: inout [UInt8], indent: Int?) {
        switch self {
        case .null: out.append(contentsOf: Array("null".utf8))
        case .bool(let b): out.append(contentsOf: Array((b ? "true" : "false").utf8))
        case .integer(let i): out.append(contentsOf: Array(String(i).utf8))
        case .double(let d):
            if !JSONText.appendNumber(d, to: &out) { out.append(contentsOf: Array("null".utf8)) }
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (n, element) in elements.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, indent.map { $0 + 1 })
                element.write(into: &out, indent: indent.map { $0 + 1 })
            }
            if !elements.isEmpty { Self.newline(&out, indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (n, key) in keys.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, indent.map { $0 + 1 })
                Self.writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(0x20) }
                members[key]!.write(into: &out, indent: indent.map { $0 + 1 })
            }
            if !keys.isEmpty { Self.newline(&out, indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ out: inout [UInt8], _ indent: Int?) {
        guard let indent else { return }
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: indent * 2))
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        JSONText.appendQuoted(s, to: &out)
    }
}
