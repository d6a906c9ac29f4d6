/// A Lua value read for display: what `pp` and the REPL print, before it is laid out.
indirect enum PrettyNode {
    /// A value shown as one piece of text: a number, a string, `json.null`, `<function>`.
    case atom(PrettyText)
    case table(PrettyTable)

    static func note(_ text: String) -> PrettyNode { .atom(PrettyText(text, .note)) }
}

/// Text and how it is coloured. Widths are counted in characters.
struct PrettyText {
    var text: String
    var style: PrettyStyle
    /// A string's text without its quotes, for a cell of a record table.
    var bare: String?

    init(_ text: String, _ style: PrettyStyle = .plain, bare: String? = nil) {
        self.text = text
        self.style = style
        self.bare = bare
    }

    var width: Int { text.count }
}

/// A table as read: its positional items (keys 1...n), then its other entries in key order.
struct PrettyTable {
    var positional: [PrettyNode] = []
    var keyed: [(key: PrettyKey, value: PrettyNode)] = []
    /// Entries left out (`items`, or the whole budget of entries, was reached).
    var omitted = 0
    /// The `__name` of its metatable (`refonte.error`, `task`), shown before it.
    var typeName: String?

    var isEmpty: Bool { positional.isEmpty && keyed.isEmpty && omitted == 0 }
}

/// A key as shown before `=`: a bare name (`email`) or bracketed (`[2]`, `["a b"]`).
struct PrettyKey {
    var text: PrettyText
    /// The bare name, for keys that are Lua identifiers: the columns of a record table.
    var name: String?
}
