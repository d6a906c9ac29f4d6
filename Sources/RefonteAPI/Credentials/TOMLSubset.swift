/// A strict reader for the part of TOML that the config file uses: comments, `[a.b]` table
/// headers, and `key = value` where the value is a string (basic or literal, one line), an
/// integer, a float, a boolean, or an inline table of those (`staging = { timeout = 30 }`,
/// read as the table `[...staging]`). Anything else (arrays, dates, multi-line strings, dotted
/// keys, nested inline tables) is an error that names the line, so a typo is never silently
/// ignored and every key keeps the line it was written on. (TOMLKit, the TOML library on the package mirror,
/// reports lines only for syntax errors, not for keys; see docs/guide.md.)
struct TOMLSubset {
    enum Value: Equatable {
        case string(String)
        case integer(Int64)
        case float(Double)
        case boolean(Bool)
        /// An inline table, one line.
        case table([Entry])

        /// The value as TOML writes it, for error messages.
        var written: String {
            switch self {
            case .string(let text): "\"\(text)\""
            case .integer(let number): String(number)
            case .float(let number): String(number)
            case .boolean(let flag): flag ? "true" : "false"
            case .table: "an inline table"
            }
        }
    }

    struct Entry: Equatable {
        var key: String
        var value: Value
        var line: Int

        /// The value when it is a string.
        var text: String? {
            if case .string(let text) = value { text } else { nil }
        }
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
        // The table that `key = value` lines go into: nil before the first header.
        var current: Int?
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
                current = document.tables.count - 1
                continue
            }
            let key = try scanner.key()
            scanner.skipSpaces()
            guard scanner.take("=") else {
                throw ParseError(line: number, message: "expected '=' after key \"\(key)\"")
            }
            scanner.skipSpaces()
            let value = try scanner.value(for: key)
            scanner.skipSpaces()
            guard scanner.atEndOfContent else {
                throw ParseError(
                    line: number,
                    message: "key \"\(key)\": unexpected text after the value (put comments after '#')"
                )
            }
            if case .table(let entries) = value {
                // `name = { ... }` is the table `[<current>.name]`, written on one line.
                let path = (current.map { document.tables[$0].path } ?? []) + [key]
                guard seenHeaders.insert(path).inserted else {
                    throw ParseError(
                        line: number,
                        message: "table [\(path.joined(separator: "."))] appears twice"
                    )
                }
                document.tables.append(Table(path: path, line: number, entries: entries))
                continue
            }
            let entry = Entry(key: key, value: value, line: number)
            if let current {
                try insert(entry, into: &document.tables[current].entries)
            } else {
                try insert(entry, into: &document.rootEntries)
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

    /// The value of `key`: a string, a number, a boolean, or (`inline`) an inline table of those.
    mutating func value(
        for key: String,
        inline: Bool = true
    ) throws(TOMLSubset.ParseError) -> TOMLSubset.Value {
        if peek == "{" {
            guard inline else {
                throw error("key \"\(key)\": inline tables inside inline tables are not read here")
            }
            return .table(try inlineTable())
        }
        guard peek == "\"" || peek == "'" else {
            var word = ""
            while let scalar = peek, scalar != " ", scalar != "\t", scalar != "#", scalar != ",",
                scalar != "}"
            {
                word.unicodeScalars.append(scalar)
                index += 1
            }
            switch word {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: break
            }
            if let number = Self.number(word) { return number }
            if word.hasPrefix("[") {
                throw error(
                    "key \"\(key)\": arrays are not read here; no setting of this file takes a list"
                )
            }
            throw error(
                "key \"\(key)\": expected a quoted string, a number or true/false, like \(key) = \"…\", found "
                    + (word.isEmpty ? "nothing" : word)
            )
        }
        return .string(try stringValue(for: key))
    }

    /// `{ a = 1, b = "x" }` on one line, the scanner on its `{`.
    mutating func inlineTable() throws(TOMLSubset.ParseError) -> [TOMLSubset.Entry] {
        _ = take("{")
        var entries: [TOMLSubset.Entry] = []
        skipSpaces()
        if take("}") { return entries }
        repeat {
            skipSpaces()
            let key = try key()
            skipSpaces()
            guard take("=") else { throw error("expected '=' after key \"\(key)\"") }
            skipSpaces()
            let entry = TOMLSubset.Entry(key: key, value: try value(for: key, inline: false), line: line)
            if entries.contains(where: { $0.key == key }) {
                throw error("key \"\(key)\" is set twice in the inline table")
            }
            entries.append(entry)
            skipSpaces()
        } while take(",")
        guard take("}") else { throw error("expected ',' or '}' in the inline table") }
        return entries
    }

    /// A TOML integer or float in decimal: `30`, `-5`, `1_000`, `1.5`, `2e3`.
    static func number(_ word: String) -> TOMLSubset.Value? {
        let plain = String(word.filter { $0 != "_" })
        guard !plain.isEmpty, !word.hasPrefix("_"), !word.hasSuffix("_"), !word.contains("__"),
            plain.unicodeScalars.allSatisfy({ "0123456789+-.eE".unicodeScalars.contains($0) })
        else { return nil }
        if let integer = Int64(plain) { return .integer(integer) }
        if plain.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let float = Double(plain),
            float.isFinite
        {
            return .float(float)
        }
        return nil
    }

    /// A quoted string value.
    mutating func stringValue(for key: String) throws(TOMLSubset.ParseError) -> String {
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
