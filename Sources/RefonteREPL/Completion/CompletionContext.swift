import RefonteAPI
import RefonteScripting

/// What the text before the cursor asks to complete.
enum CompletionContext: Equatable {
    /// A name on its own: globals, the session's locals, keywords.
    case name(partial: String)
    /// A field after `a.b.` (or a method after `a:`), from the live tables (and the catalog
    /// below `refonte`).
    case member(path: [String], partial: String, method: Bool)
    /// An argument name inside `refonte.teams.invite{ ... `, at a key's place; `given` are the
    /// names already there.
    case argument(operation: String, partial: String, given: Set<String>)
    /// The string after `project = "` (or in `projects = { "…", "`).
    case projectName(partial: String)
    case nothing

    init(_ text: String) {
        let lexer = LuaLexer(text)
        var tokens = lexer.tokens
        switch lexer.ending {
        case .insideLongText:
            self = .nothing
            return
        case .insideString(_, _, let typed):
            self = Self.isProjectValue(tokens) ? .projectName(partial: typed) : .nothing
            return
        case .complete:
            break
        }
        var partial = ""
        if let last = tokens.last, last.kind == .name || last.kind == .keyword,
            last.range.upperBound == text.utf8.count
        {
            partial = last.text
            tokens.removeLast()
        }
        if let last = tokens.last, last.kind == .symbol, last.text == "." || last.text == ":" {
            // `a.b.` only: `x[1].` or `f().` are not paths this reads.
            guard let path = Self.path(tokens, endingAt: tokens.count - 2) else {
                self = .nothing
                return
            }
            self = .member(path: path, partial: partial, method: last.text == ":")
            return
        }
        if let call = Self.openArgumentTable(tokens) {
            self = .argument(operation: call.operation, partial: partial, given: call.given)
            return
        }
        if let last = tokens.last, last.kind == .number || last.kind == .string {
            self = .nothing
            return
        }
        self = .name(partial: partial)
    }

    /// `project = "` or `projects = { "a", "`: the tokens before an unfinished string.
    private static func isProjectValue(_ tokens: [LuaLexer.Token]) -> Bool {
        var k = tokens.count - 1
        if k >= 1, tokens[k].text == "=", tokens[k - 1].kind == .name, tokens[k - 1].text == "project" {
            return true
        }
        // Inside `projects = { ... `: walk back over finished strings and commas to the brace.
        while k >= 0, tokens[k].kind == .string || tokens[k].text == "," || tokens[k].text == ";" { k -= 1 }
        return k >= 2 && tokens[k].text == "{" && tokens[k - 1].text == "="
            && tokens[k - 2].text == "projects"
    }

    /// The operation whose argument table the cursor is in, at a key's place.
    private static func openArgumentTable(
        _ tokens: [LuaLexer.Token]
    ) -> (operation: String, given: Set<String>)? {
        // The innermost unclosed bracket.
        var closers = 0
        var k = tokens.count - 1
        var brace = -1
        while k >= 0 {
            let text = tokens[k].text
            if tokens[k].kind == .symbol {
                if text == "}" || text == ")" || text == "]" { closers += 1 }
                if text == "{" || text == "(" || text == "[" {
                    if closers == 0 {
                        brace = text == "{" ? k : -1
                        break
                    }
                    closers -= 1
                }
            }
            k -= 1
        }
        guard brace >= 0 else { return nil }
        // At a key's place: right after `{`, `,` or `;`.
        guard let before = tokens.last, before.kind == .symbol, ["{", ",", ";"].contains(before.text) else {
            return nil
        }
        // `refonte.a.b{` or `refonte.a.b({`.
        let end = brace >= 1 && tokens[brace - 1].text == "(" ? brace - 2 : brace - 1
        guard let path = Self.path(tokens, endingAt: end), path.count >= 3, path[0] == "refonte",
            let operation = Self.operation(Array(path.dropFirst()))
        else { return nil }
        // Names already given at this table's own level.
        var given: Set<String> = []
        var depth = 0
        for index in (brace + 1)..<tokens.count {
            let text = tokens[index].text
            if tokens[index].kind == .symbol {
                if text == "{" || text == "(" || text == "[" { depth += 1 }
                if text == "}" || text == ")" || text == "]" { depth -= 1 }
            }
            if depth == 0, tokens[index].kind == .name, index + 1 < tokens.count,
                tokens[index + 1].text == "=",
                tokens[index - 1].text == "{" || tokens[index - 1].text == ","
                    || tokens[index - 1].text == ";"
            {
                given.insert(tokens[index].text)
            }
        }
        return (operation, given)
    }

    /// The names of `a.b.c` when it ends at token `end`; nil when something other than a name
    /// comes before a dot.
    private static func path(_ tokens: [LuaLexer.Token], endingAt end: Int) -> [String]? {
        var path: [String] = []
        var k = end
        while true {
            guard k >= 0, tokens[k].kind == .name else { return nil }
            path.insert(tokens[k].text, at: 0)
            guard k >= 2, tokens[k - 1].text == "." else { return path }
            k -= 2
        }
    }

    /// The catalog operation a Lua path below `refonte` calls (`teams.invite`, or an
    /// iterator's list operation for `tasks.iter`).
    static func operation(_ path: [String]) -> String? {
        let id = path.joined(separator: ".")
        if Catalog.operation(id: id) != nil { return id }
        if path.last == "iter" {
            let group = path.dropLast().joined(separator: ".")
            return Catalog.operations.first { $0.iteratorID == group }?.id
        }
        return nil
    }
}
