/// Finds a secret in text where any of its bytes may also be written percent-encoded (`%2F` or
/// `%2f`), as a URL, a form body or a log of either might show it, and replaces each match.
enum SecretScrubber {
    /// Replaces every match of `secret` in `text`; returns whether there was one.
    static func replace(_ secret: [UInt8], in text: inout [UInt8], with replacement: [UInt8]) -> Bool {
        guard let first = secret.first else { return false }
        var out: [UInt8] = []
        var found = false
        var i = 0
        var copied = 0
        while i < text.count {
            if text[i] == first || text[i] == UInt8(ascii: "%"), let end = match(secret, in: text, at: i) {
                if !found { out.reserveCapacity(text.count) }
                found = true
                out.append(contentsOf: text[copied..<i])
                out.append(contentsOf: replacement)
                i = end
                copied = end
            } else {
                i += 1
            }
        }
        guard found else { return false }
        out.append(contentsOf: text[copied...])
        text = out
        return true
    }

    /// The end of a match of `secret` starting at `start`, or nil. A `%` in the text may be
    /// the secret's own `%` or the start of an escape, so both readings are tried.
    private static func match(_ secret: [UInt8], in text: [UInt8], at start: Int) -> Int? {
        match(secret[...], in: text, at: start)
    }

    private static func match(_ secret: ArraySlice<UInt8>, in text: [UInt8], at start: Int) -> Int? {
        var k = start
        var rest = secret
        while let byte = rest.first {
            guard k < text.count else { return nil }
            let escaped: UInt8? =
                text[k] == UInt8(ascii: "%") && k + 2 < text.count
                ? hexValue(text[k + 1]).flatMap { high in hexValue(text[k + 2]).map { high << 4 | $0 } } : nil
            if text[k] == byte, escaped == byte {
                // "%25": a literal "%" followed by "25", or an escaped "%".
                if let end = match(rest.dropFirst(), in: text, at: k + 3) { return end }
                k += 1
            } else if text[k] == byte {
                k += 1
            } else if escaped == byte {
                k += 3
            } else {
                return nil
            }
            rest = rest.dropFirst()
        }
        return k
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
