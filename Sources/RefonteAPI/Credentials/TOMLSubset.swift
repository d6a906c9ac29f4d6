/// A strict reader for the small part of TOML that the config file uses: comments, `[a.b]`
/// table headers, `key = "string"` (basic or literal strings) and `key = true` / `false`.
/// Anything else is an error that names the line, so a typo is never silently ignored.
struct TOMLSubset {
    struct Entry: Equatable {
        var key: String
        /// The string, or `true` / `false` for a boolean.
        var value: String
        var line: Int
        /// Set for `key = true` and `key = false`.
        var boolean: Bool? = nil
    }

    struct Table: Equatable {
        /// The header's dotted parts: `[profiles.prod]` is `["profiles", "prod"]`.
        var path: [String]
        var line: Int
        var entries: [Entry] = []
    }

    /// Entries before the first header.
    var rootEntries: [Entry] = []
    var tables: [Table] = []

    struct ParseError: Error, Equatable {
        var line: Int
        var message: String
    }

    static func parse(_ text: String) throws(ParseError) -> TOMLSubset {
        var document = TOMLSubset()
        var seenHeaders: Set<[String]> = []
        // Split on scalars: as Characters, "\r\n" is one grapheme and would not split on "\n".
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, rawLine) in lines.enumerated() {
            let number = index + 1
            var scanner = Scanner(Array(rawLine), line: number)
            scanner.skipSpaces()
            if scanner.atEndOfContent { continue }
            if scanner.peek == "[" {
                let path = try scanner.header()
                guard seenHeaders.insert(path).inserted else {
                    throw ParseError(
                        line: number,
                        message: "table [\(path.joined(separator: "."))] appears twice"
                    )
                }
                document.tables.append(Table(path: path, line: number))
                continue
            }
            let key = try scanner.key()
            scanner.skipSpaces()
            guard scanner.take("=") else {
                throw ParseError(line: number, message: "expected '=' after key \"\(key)\"")
            }
            scanner.skipSpaces()
            let boolean = scanner.boolean()
            let value: String
            if let boolean {
                value = boolean ? "true" : "false"
            } else {
                value = try scanner.stringValue(for: key)
            }
            scanner.skipSpaces()
            guard scanner.atEndOfContent else {
                throw ParseError(
                    line: number,
                    message: "key \"\(key)\": unexpected text after the value (put comments after '#')"
                )
            }
            let entry = Entry(key: key, value: value, line: number, boolean: boolean)
            if document.tables.isEmpty {
                try insert(entry, into: &document.rootEntries)
            } else {
                try insert(entry, into: &document.tables[document.tables.count - 1].entries)
            }
        }
        return document
    }

    private static func insert(_ entry: Entry, into entries: inout [Entry]) throws(ParseError) {
        if let first = entries.first(where: { $0.key == entry.key }) {
            throw ParseError(
                line: entry.line,
                message: "key \"\(entry.key)\" is set twice (first on line \(first.line))"
            )
        }
        entries.append(entry)
    }
}

private struct Scanner {
    let scalars: [Unicode.Scalar]
    let line: Int
    var index = 0

    init(_ scalars: [Unicode.Scalar], line: Int) {
        // A CRLF file leaves a "\r" at the end of each line.
        var scalars = scalars
        if scalars.last == "\r" { scalars.removeLast() }
        self.scalars = scalars
        self.line = line
    }

    var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    /// True at the end of the line or at a comment.
    var atEndOfContent: Bool { peek == nil || peek == "#" }

    mutating func skipSpaces() {
        while let scalar = peek, scalar == " " || scalar == "\t" { index += 1 }
    }

    mutating func take(_ scalar: Unicode.Scalar) -> Bool {
        guard peek == scalar else { return false }
        index += 1
        return true
    }

    func error(_ message: String) -> TOMLSubset.ParseError {
        TOMLSubset.ParseError(line: line, message: message)
    }

    /// `[a.b]` or `[a."quoted b"]`, then only a comment.
    mutating func header() throws(TOMLSubset.ParseError) -> [String] {
        _ = take("[")
        if peek == "[" {
            throw error("arrays of tables ([[...]]) are not used here; expected [profiles.NAME]")
        }
        var path: [String] = []
        repeat {
            skipSpaces()
            path.append(try key())
            skipSpaces()
        } while take(".")
        guard take("]") else { throw error("expected ']' to close the table header") }
        skipSpaces()
        guard atEndOfContent else { throw error("unexpected text after the table header") }
        return path
    }

    /// A bare key (`A-Za-z0-9_-`) or a quoted one.
    mutating func key() throws(TOMLSubset.ParseError) -> String {
        if peek == "\"" || peek == "'" { return try quoted() }
        var key = ""
        while let scalar = peek, isBareKeyScalar(scalar) {
            key.unicodeScalars.append(scalar)
            index += 1
        }
        guard !key.isEmpty else {
            let found = peek.map { "'\($0)'" } ?? "the end of the line"
            throw error("expected a key (letters, digits, '_' or '-'), found \(found)")
        }
        return key
    }

    /// A bare `true` or `false`, taken; nil (and nothing taken) for anything else.
    mutating func boolean() -> Bool? {
        for (word, value) in [("true", true), ("false", false)] {
            let end = index + word.unicodeScalars.count
            guard end <= scalars.count, String(String.UnicodeScalarView(scalars[index..<end])) == word else {
                continue
            }
            guard end == scalars.count || [" ", "\t", "#"].contains(scalars[end]) else { continue }
            index = end
            return value
        }
        return nil
    }

    /// The value of `key`: a quoted string.
    mutating func stringValue(for key: String) throws(TOMLSubset.ParseError) -> String {
        guard peek == "\"" || peek == "'" else {
            let rest = String(String.UnicodeScalarView(scalars[index...]))
            let found = rest.split(separator: "#").first.map { $0.trimmingSpaces() } ?? ""
            throw error(
                "key \"\(key)\": expected a quoted string, like \(key) = \"…\", found "
                    + (found.isEmpty ? "nothing" : found)
            )
        }
        if index + 2 < scalars.count, scalars[index + 1] == scalars[index],
            scalars[index + 2] == scalars[index]
        {
            throw error("key \"\(key)\": multi-line strings are not supported; put the value on one line")
        }
        return try quoted()
    }

    /// A basic string (`"..."` with escapes) or a literal string (`'...'`).
    mutating func quoted() throws(TOMLSubset.ParseError) -> String {
        let quote = scalars[index]
        index += 1
        var text = ""
        while let scalar = peek {
            index += 1
            if scalar == quote { return text }
            if scalar == "\\" && quote == "\"" {
                text.unicodeScalars.append(try escape())
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        throw error("unterminated string: expected a closing \(quote)")
    }

    private mutating func escape() throws(TOMLSubset.ParseError) -> Unicode.Scalar {
        guard let scalar = peek else { throw error("unterminated escape at the end of the line") }
        index += 1
        switch scalar {
        case "\"": return "\""
        case "\\": return "\\"
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "u", "U":
            let count = scalar == "u" ? 4 : 8
            guard index + count <= scalars.count,
                let value = UInt32(
                    String(String.UnicodeScalarView(scalars[index..<index + count])),
                    radix: 16
                ),
                let result = Unicode.Scalar(value)
            else { throw error("invalid \\\(scalar) escape: expected \(count) hex digits") }
            index += count
            return result
        default:
            throw error("invalid escape \\\(scalar) in a string")
        }
    }

    private func isBareKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-": true
        default: false
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingSpaces() -> String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}
