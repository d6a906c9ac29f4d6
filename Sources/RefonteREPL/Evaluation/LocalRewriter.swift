/// Keeps the prompt's `local`s alive for the next statements.
///
/// lua.c compiles each statement as a chunk of its own, so `local x = 1` is gone by the next
/// prompt. Here a top-level `local` (outside any block or function of the statement) becomes
/// an assignment into the session's store of locals, which every later statement's
/// environment reads first (`Evaluation/repl.lua`):
///
///     local x, y = 1, 2          ->  __refonte_local.x, __refonte_local.y = 1, 2
///     local t                    ->  __refonte_local.t = nil
///     local function f() end     ->  __refonte_local.f = nil function f() end
///
/// The right-hand side is evaluated before the names are declared, as with a real `local`
/// (`local print = print` takes the global). `<const>` is dropped (the value persists, but is
/// not enforced as constant across statements); a `local` with `<close>` is left alone, so it
/// is closed when its statement ends, as in lua.c. A function defined at the prompt sees the
/// store through its environment, so it shares the variable with later statements.
enum LocalRewriter {
    static let store = "__refonte_local"

    /// The statement with its top-level locals rewritten; the same text when it has none.
    static func rewrite(_ source: String) -> String {
        let lexer = LuaLexer(source)
        guard lexer.ending == .complete else { return source }
        let tokens = lexer.tokens
        var edits: [(range: Range<Int>, text: String)] = []
        var depth = 0
        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            if token.kind == .keyword {
                switch token.text {
                case "function", "do", "if", "repeat": depth += 1
                case "end", "until": depth = max(0, depth - 1)
                case "local" where depth == 0:
                    if let edit = localEdit(tokens, at: i) {
                        edits.append(edit.edit)
                        i = edit.next
                        continue
                    }
                default: break
                }
            }
            i += 1
        }
        guard !edits.isEmpty else { return source }
        var bytes = Array(source.utf8)
        for edit in edits.reversed() {
            bytes.replaceSubrange(edit.range, with: Array(edit.text.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The edit for the `local` at `index`, and the token to go on from; nil to leave it alone.
    private static func localEdit(
        _ tokens: [LuaLexer.Token],
        at index: Int
    ) -> (edit: (range: Range<Int>, text: String), next: Int)? {
        let local = tokens[index]
        guard index + 1 < tokens.count else { return nil }
        let next = tokens[index + 1]
        if next.kind == .keyword, next.text == "function" {
            // `local function f`: declare f first, so the body can call itself; `function f`
            // then assigns through the environment, into the store. `function` itself is
            // left for the caller to count as a block.
            guard index + 2 < tokens.count, tokens[index + 2].kind == .name else { return nil }
            let name = tokens[index + 2].text
            return ((local.range, "\(store).\(name) = nil"), index + 1)
        }
        // `local name [attrib] {, name [attrib]} [= ...]`
        var names: [String] = []
        var k = index + 1
        var end = local.range.upperBound
        while k < tokens.count, tokens[k].kind == .name {
            names.append(tokens[k].text)
            end = tokens[k].range.upperBound
            k += 1
            if k + 2 < tokens.count, tokens[k].text == "<", tokens[k + 1].kind == .name,
                tokens[k + 2].text == ">"
            {
                guard tokens[k + 1].text == "const" else { return nil }
                end = tokens[k + 2].range.upperBound
                k += 3
            }
            guard k < tokens.count, tokens[k].kind == .symbol, tokens[k].text == "," else { break }
            k += 1
        }
        guard !names.isEmpty else { return nil }
        var text = names.map { "\(store).\($0)" }.joined(separator: ", ")
        let assigns = k < tokens.count && tokens[k].kind == .symbol && tokens[k].text == "="
        if !assigns { text += " = nil" }
        return ((local.range.lowerBound..<end, text), k)
    }
}
