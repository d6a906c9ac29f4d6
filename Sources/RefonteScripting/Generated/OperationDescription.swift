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
        var out = "refonte.\(operation.id): \(operation.summary)\n\n"
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
        out += TextTable.render(facts, indent: "  ") + "\n"

        out += "Arguments:\n"
        if operation.parameters.isEmpty {
            out += "  none\n"
        } else {
            var rows = [["NAME", "WIRE NAME", "IN", "TYPE", "REQUIRED", "DESCRIPTION"]]
            for p in operation.parameters {
                rows.append([
                    p.name, p.wireName, p.location.displayName, p.typeDescription, p.required ? "yes" : "no",
                    p.doc,
                ])
            }
            out += TextTable.render(rows, indent: "  ")
        }
        for constraint in operation.constraints {
            out += "  " + constraint.ruleText(operation) + "\n"
        }
        out += "\nExample:\n  " + LuaExample.call(operation) + "\n"
        out += "\nReturns: " + operation.returns + "\n"
        for name in operation.response.modelNames {
            if let model = Catalog.model(named: name) {
                out += "  \(name): \(model.schema.description)\n"
            }
        }
        return out
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
    public static func render(_ rows: [[String]], indent: String = "") -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (n, cell) in row.enumerated() { widths[n] = max(widths[n], cell.count) }
        }
        return rows.map { row in
            var line = indent
            for (n, cell) in row.enumerated() {
                line +=
                    n == row.count - 1
                    ? cell : cell + String(repeating: " ", count: widths[n] - cell.count + 2)
            }
            return line
        }.joined(separator: "\n") + "\n"
    }
}
