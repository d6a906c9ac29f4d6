import RefonteScripting

/// Lua 5.4's tokens, enough to read a statement's shape without compiling it: where its
/// top-level `local`s are (`LocalRewriter`) and what the cursor is in (`CompletionContext`).
/// Comments are skipped. Malformed input never fails: the lexer takes what it can.
struct LuaLexer {
    struct Token: Equatable {
        enum Kind: Equatable {
            case name
            case keyword
            case number
            case string
            case symbol
        }

        var kind: Kind
        /// Byte offsets in the source.
        var range: Range<Int>
        var text: String
    }

    /// Where the source ends, when it ends inside something unfinished.
    enum Ending: Equatable {
        case complete
        /// Inside a quoted string: its opening quote's offset and the text typed so far.
        case insideString(start: Int, quote: UInt8, typed: String)
        /// Inside a comment or a long string (`[[ ... `).
        case insideLongText
    }

    private(set) var tokens: [Token] = []
    private(set) var ending = Ending.complete

    init(_ source: String) {
        lex(Array(source.utf8))
    }

    private mutating func lex(_ bytes: [UInt8]) {
        var i = 0
        let n = bytes.count
        func at(_ k: Int) -> UInt8 { k < n ? bytes[k] : 0 }
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        /// The level of a long bracket starting at `k` (`[[` is 0, `[==[` is 2), or nil.
        func longBracket(_ k: Int) -> Int? {
            guard at(k) == UInt8(ascii: "[") else { return nil }
            var j = k + 1
            while at(j) == UInt8(ascii: "=") { j += 1 }
            return at(j) == UInt8(ascii: "[") ? j - k - 1 : nil
        }
        /// The offset after the long bracket closing at level `level`, searching from `k`.
        func closeLong(_ k: Int, level: Int) -> Int? {
            var j = k
            while j < n {
                if bytes[j] == UInt8(ascii: "]") {
                    var m = j + 1
                    while at(m) == UInt8(ascii: "=") { m += 1 }
                    if m - j - 1 == level, at(m) == UInt8(ascii: "]") { return m + 1 }
                }
                j += 1
            }
            return nil
        }

        while i < n {
            let c = bytes[i]
            if c == 0x20 || (0x09...0x0D).contains(c) {
                i += 1
                continue
            }
            if c == UInt8(ascii: "-"), at(i + 1) == UInt8(ascii: "-") {
                if let level = longBracket(i + 2) {
                    guard let end = closeLong(i + 4 + level, level: level) else {
                        ending = .insideLongText
                        return
                    }
                    i = end
                } else {
                    while i < n, bytes[i] != 0x0A { i += 1 }
                }
                continue
            }
            let start = i
            if LuaName.isLetter(c) || c == UInt8(ascii: "_") {
                while i < n,
                    LuaName.isLetter(bytes[i]) || LuaName.isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "_")
                {
                    i += 1
                }
                let word = text(start..<i)
                tokens.append(
                    Token(
                        kind: LuaName.reserved.contains(word) ? .keyword : .name,
                        range: start..<i,
                        text: word
                    )
                )
                continue
            }
            if LuaName.isDigit(c) || (c == UInt8(ascii: ".") && LuaName.isDigit(at(i + 1))) {
                while i < n {
                    let b = bytes[i]
                    if (b == UInt8(ascii: "+") || b == UInt8(ascii: "-")),
                        [UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "p"), UInt8(ascii: "P")].contains(
                            bytes[i - 1]
                        )
                    {
                        i += 1
                    } else if LuaName.isLetter(b) || LuaName.isDigit(b) || b == UInt8(ascii: ".")
                        || b == UInt8(ascii: "_")
                    {
                        i += 1
                    } else {
                        break
                    }
                }
                tokens.append(Token(kind: .number, range: start..<i, text: text(start..<i)))
                continue
            }
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                i += 1
                var closed = false
                while i < n {
                    let b = bytes[i]
                    if b == UInt8(ascii: "\\") {
                        i += 2
                        continue
                    }
                    if b == c {
                        i += 1
                        closed = true
                        break
                    }
                    if b == 0x0A { break }
                    i += 1
                }
                if !closed, i >= n {
                    ending = .insideString(start: start, quote: c, typed: text((start + 1)..<n))
                    return
                }
                i = min(i, n)
                tokens.append(Token(kind: .string, range: start..<i, text: text(start..<i)))
                continue
            }
            if let level = longBracket(i) {
                guard let end = closeLong(i + 2 + level, level: level) else {
                    ending = .insideLongText
                    return
                }
                i = end
                tokens.append(Token(kind: .string, range: start..<i, text: text(start..<i)))
                continue
            }
            let three = text(i..<min(i + 3, n))
            let two = text(i..<min(i + 2, n))
            if three == "..." {
                i += 3
            } else if ["..", "==", "~=", "<=", ">=", "<<", ">>", "//", "::"].contains(two) {
                i += 2
            } else {
                i += 1
            }
            tokens.append(Token(kind: .symbol, range: start..<i, text: text(start..<i)))
        }
    }
}
