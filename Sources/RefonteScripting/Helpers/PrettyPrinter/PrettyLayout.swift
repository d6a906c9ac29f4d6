/// Lays a read value out in lines no wider than `width` where it can: a table on one line
/// when it fits, an array of records as aligned columns when they fit, else one entry a line.
struct PrettyLayout {
    typealias Line = [PrettyText]

    let width: Int

    /// The lines of `node` after `lead` (`_1 = `, or nothing), from column `indent`.
    func lines(_ node: PrettyNode, lead: Line = [], indent: Int = 0) -> [Line] {
        entry(lead: lead, node, indent: indent, trailing: "")
    }

    private func entry(lead: Line, _ node: PrettyNode, indent: Int, trailing: String) -> [Line] {
        let margin = PrettyText(String(repeating: " ", count: indent))
        let budget = width - indent - Self.width(lead) - trailing.count
        if let flat = flat(node, budget: budget) {
            return [[margin] + lead + flat + [PrettyText(trailing)]]
        }
        guard case .table(let table) = node else {
            // A long string or number: one line however wide.
            return [[margin] + lead + (flat(node, budget: .max) ?? []) + [PrettyText(trailing)]]
        }
        if let columns = RecordColumns(table, layout: self), columns.width <= width - indent - 2 {
            let head = [margin] + Self.trimmed(lead)
            return [head] + columns.lines(indent: indent + 2)
        }
        var out: [Line] = [[margin] + lead + opening(table) + [PrettyText("{")]]
        for item in table.positional {
            out += entry(lead: [], item, indent: indent + 2, trailing: ",")
        }
        for (key, value) in table.keyed {
            out += entry(lead: [key.text, PrettyText(" = ")], value, indent: indent + 2, trailing: ",")
        }
        if table.omitted > 0 {
            out.append([PrettyText(String(repeating: " ", count: indent + 2)), Self.more(table.omitted)])
        }
        out.append([margin, PrettyText("}" + trailing)])
        return out
    }

    /// `node` on one line, or nil when it needs more than `budget` columns.
    func flat(_ node: PrettyNode, budget: Int) -> Line? {
        var line: Line = []
        var used = 0
        func add(_ piece: PrettyText) -> Bool {
            used += piece.width
            line.append(piece)
            return used <= budget
        }
        func walk(_ node: PrettyNode) -> Bool {
            switch node {
            case .atom(let text): return add(text)
            case .table(let table):
                for piece in opening(table) where !add(piece) { return false }
                if table.isEmpty { return add(PrettyText("{}")) }
                guard add(PrettyText("{ ")) else { return false }
                var first = true
                func separate() -> Bool {
                    defer { first = false }
                    return first || add(PrettyText(", "))
                }
                for item in table.positional {
                    guard separate(), walk(item) else { return false }
                }
                for (key, value) in table.keyed {
                    guard separate(), add(key.text), add(PrettyText(" = ")), walk(value) else { return false }
                }
                if table.omitted > 0 {
                    guard separate(), add(Self.more(table.omitted)) else { return false }
                }
                return add(PrettyText(" }"))
            }
        }
        return walk(node) ? line : nil
    }

    private func opening(_ table: PrettyTable) -> Line {
        table.typeName.map { [PrettyText("<\($0)>", .note)] } ?? []
    }

    static func more(_ count: Int) -> PrettyText { PrettyText("… \(count) more", .note) }

    static func width(_ line: Line) -> Int { line.reduce(0) { $0 + $1.width } }

    /// `lead` without the spaces it ends with (a record table starts on the next line).
    static func trimmed(_ lead: Line) -> Line {
        guard var last = lead.last else { return lead }
        while last.text.hasSuffix(" ") { last.text.removeLast() }
        return lead.dropLast() + [last]
    }

    /// The lines as text, coloured or not, each ending with a newline.
    static func text(_ lines: [Line], colour: Bool) -> String {
        var out = ""
        for line in lines {
            var text = ""
            for piece in line { text += piece.style.apply(piece.text, colour: colour) }
            while text.hasSuffix(" ") { text.removeLast() }
            out += text + "\n"
        }
        return out
    }
}
