import RefonteAPI

/// What `refonte ops` shows: the list of operations, and one operation in detail.
public enum OperationDescription {
    /// One line per operation: id, method, path, whether it mutates.
    public static func list() -> String {
        var rows = [["OPERATION", "METHOD", "PATH", "MUTATES"]]
        for operation in Catalog.operations {
            rows.append([
                operation.id, operation.method.rawValue, operation.path, operation.mutates ? "yes" : "no",
            ])
        }
        return TextTable.render(rows)
    }

    public static func describe(_ operation: Operation) -> String {
        var out =
            TextTable.wrap("refonte.\(operation.id): \(operation.summary)", width: 100).joined(
                separator: "\n"
            ) + "\n\n"
        var facts = [
            ["HTTP", operation.method.rawValue + " " + operation.path]
        ]
        for alias in operation.aliases {
            facts.append(["also", alias.method.rawValue + " " + alias.path])
        }
        facts.append([
            "mutates", operation.mutates ? "yes (it changes state)" : "no",
        ])
        facts.append(["retry", operation.retry.explanation])
        if operation.mutates {
            facts.append([
                "dry run",
                "not sent; answered with what it would return, ids and the like \"(known after apply)\"",
            ])
        }
        switch operation.pagination {
        case .cursor:
            facts.append([
                "paginated",
                "by cursor (next_token); " + (operation.iteratorSummary ?? ""),
            ])
        case .offset:
            facts.append([
                "paginated",
                "by limit and offset; " + (operation.iteratorSummary ?? ""),
            ])
        case .none: break
        }
        if operation.allowsExtraBodyFields {
            facts.append(["free-form", "any further argument is sent as a body field of that name"])
        }
        out += TextTable.render(facts, indent: "  ", width: 100, wrapping: [1]) + "\n"

        out += "Arguments:\n"
        if operation.parameters.isEmpty {
            out += "  none\n"
        } else {
            // The wire name only where it differs; 100 columns: long choice lists and
            // descriptions wrap within their columns.
            var rows = [["NAME", "IN", "TYPE", "REQUIRED", "DESCRIPTION"]]
            for p in operation.parameters {
                rows.append([
                    p.name + (p.wireName == p.name ? "" : " (wire: \(p.wireName))"), p.location.displayName,
                    p.typeDescription, p.required ? "yes" : "no", p.doc,
                ])
            }
            out += TextTable.render(rows, indent: "  ", width: 100, wrapping: [2, 4])
        }
        for constraint in operation.constraints {
            out += TextTable.wrap(constraint.ruleText(operation), width: 96).map { "  \($0)\n" }.joined()
        }
        out +=
            "\nExample (runs against the demo sandbox):\n"
            + LuaExample.snippet(operation).split(separator: "\n").map { "  \($0)\n" }.joined()
        out += "\nReturns: " + operation.returns + "\n"
        for name in operation.response.modelNames {
            if let model = Catalog.model(named: name) {
                let lines = TextTable.wrap("\(name): \(model.schema.description)", width: 96)
                out += lines.enumerated().map { "\($0.offset == 0 ? "  " : "    ")\($0.element)\n" }.joined()
            }
        }
        return out
    }
}

extension OperationDescription {
    /// The operation `text` names, read as `refonte ops describe` and the REPL's `.help` read
    /// it: an id (`teams.invite`), with or without `refonte.` in front, or an iterator
    /// (`tasks.iter`, which walks `tasks.list`).
    public static func lookup(_ text: String) -> Result<Operation, UnknownOperation> {
        var wanted = text.hasPrefix("refonte.") ? String(text.dropFirst("refonte.".count)) : text
        if wanted.hasSuffix(".iter"),
            let list = Catalog.operations.first(where: { $0.iteratorID.map { $0 + ".iter" } == wanted })
        {
            wanted = list.id
        }
        if let operation = Catalog.operation(id: wanted) { return .success(operation) }
        return .failure(
            UnknownOperation(
                name: text,
                closest: Suggestion.closest(to: wanted, in: Catalog.operations.map(\.id))
            )
        )
    }

    public struct UnknownOperation: Error, CustomStringConvertible {
        public var name: String
        public var closest: String?

        public var description: String {
            "unknown operation '\(name)'"
                + (closest.map { "; did you mean '\($0)'?" } ?? " (see `refonte ops` for the list)")
        }
    }
}

extension Parameter {
    /// The type as docs show it, with its range and default.
    var typeDescription: String {
        var text = type.description
        switch (minimum, maximum) {
        case (let lo?, let hi?): text += " \(lo)–\(hi)"
        case (let lo?, nil): text += " ≥ \(lo)"
        case (nil, let hi?): text += " ≤ \(hi)"
        case (nil, nil): break
        }
        if nonEmpty, location != .path { text += ", non-empty" }
        if let defaultValue { text += ", default \(defaultValue.jsonText)" }
        return text
    }
}

extension Parameter {
    /// Range, default and format in words, for stubs: " (1–100, default 100)".
    var bounds: String {
        var parts: [String] = []
        switch (minimum, maximum) {
        case (let lo?, let hi?): parts.append("\(lo)–\(hi)")
        case (let lo?, nil): parts.append("at least \(lo)")
        case (nil, let hi?): parts.append("at most \(hi)")
        case (nil, nil): break
        }
        if nonEmpty, location != .path { parts.append("non-empty") }
        if let defaultValue { parts.append("default \(defaultValue.jsonText)") }
        if type == .dateTime { parts.append("RFC 3339 date-time such as \(DateTime.example)") }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }
}

extension Parameter.Location {
    var displayName: String {
        switch self {
        case .path: "path"
        case .query: "query"
        case .body: "body"
        case .wholeBody: "body (whole)"
        }
    }
}

extension Constraint {
    /// The rule in words with the operation's Lua names, for docs.
    func ruleText(_ operation: Operation) -> String {
        ruleText { wire in operation.parameters.first { $0.wireName == wire }?.name ?? wire }
    }
}

/// Left-aligned columns separated by two spaces.
public enum TextTable {
    /// With `width`, the columns in `wrapping` are narrowed until a line fits (none below 12
    /// characters), their cells wrapped at spaces onto the lines below.
    public static func render(
        _ rows: [[String]],
        indent: String = "",
        width: Int? = nil,
        wrapping: Set<Int> = []
    ) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (n, cell) in row.enumerated() { widths[n] = max(widths[n], cell.count) }
        }
        if let width {
            widths = fitted(widths, into: width - indent.count - 2 * (columns - 1), wrapping: wrapping)
        }
        var lines: [String] = []
        for row in rows {
            let cells = row.enumerated().map { n, cell in
                wrapping.contains(n) ? wrap(cell, width: widths[n]) : [cell]
            }
            for index in 0..<(cells.map(\.count).max() ?? 1) {
                var line = indent
                for (n, cell) in cells.enumerated() {
                    let text = index < cell.count ? cell[index] : ""
                    line +=
                        n == cells.count - 1
                        ? text : text + String(repeating: " ", count: max(widths[n] - text.count, 0) + 2)
                }
                while line.hasSuffix(" ") { line.removeLast() }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Narrows the widest wrapping column, one character at a time, until the total fits.
    private static func fitted(_ widths: [Int], into total: Int, wrapping: Set<Int>) -> [Int] {
        var widths = widths
        while widths.reduce(0, +) > total,
            let widest = wrapping.filter({ $0 < widths.count && widths[$0] > 12 }).max(by: {
                widths[$0] < widths[$1]
            })
        {
            widths[widest] -= 1
        }
        return widths
    }

    /// `text` in lines of at most `width` characters, broken at spaces (a longer word alone).
    static func wrap(_ text: String, width: Int) -> [String] {
        guard text.count > width else { return [text] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        lines.append(line)
        return lines
    }
}
