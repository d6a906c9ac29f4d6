/// An array of records (tables of named scalars, such as a page of teammates or tasks) as
/// aligned columns with a header, one record a line:
///
///     #  email            role     status
///     1  ana@example.com  labeler  active
///
/// Strings lose their quotes here; a nested table is shown on one line if short, else `{…}`.
struct RecordColumns {
    private var names: [String]
    private var rows: [[PrettyText]]
    private var widths: [Int]
    private var numeric: [Bool]
    private var omitted: Int

    /// At least two records, every item a record, and nothing else in the table.
    init?(_ table: PrettyTable, layout: PrettyLayout) {
        guard table.keyed.isEmpty, table.positional.count >= 2 else { return nil }
        var records: [[String: PrettyText]] = []
        var seen: Set<String> = []
        var names: [String] = []
        for item in table.positional {
            guard case .table(let record) = item, record.positional.isEmpty, record.omitted == 0,
                record.typeName == nil, !record.keyed.isEmpty
            else { return nil }
            var cells: [String: PrettyText] = [:]
            for (key, value) in record.keyed {
                guard let name = key.name else { return nil }
                cells[name] = Self.cell(value, layout: layout)
                if seen.insert(name).inserted { names.append(name) }
            }
            records.append(cells)
        }
        let columns = ["#"] + names.sorted(by: Self.columnOrder)
        let rows = records.enumerated().map { offset, cells in
            [PrettyText(String(offset + 1), .note)] + columns.dropFirst().map { cells[$0] ?? PrettyText("") }
        }
        self.names = columns
        self.rows = rows
        widths = columns.indices.map { column in
            rows.reduce(columns[column].count) { max($0, $1[column].width) }
        }
        numeric = columns.indices.map { column in
            column == 0 || rows.allSatisfy { $0[column].style == .number || $0[column].text.isEmpty }
        }
        omitted = table.omitted
    }

    var width: Int { widths.reduce(0, +) + 2 * (widths.count - 1) }

    func lines(indent: Int) -> [PrettyLayout.Line] {
        let margin = PrettyText(String(repeating: " ", count: indent))
        var out: [PrettyLayout.Line] = [
            [margin] + names.enumerated().map { column, name in pad(PrettyText(name, .header), column) }
        ]
        for row in rows {
            out.append([margin] + row.enumerated().map { column, cell in pad(cell, column) })
        }
        if omitted > 0 { out.append([margin, PrettyLayout.more(omitted)]) }
        return out
    }

    private func pad(_ cell: PrettyText, _ column: Int) -> PrettyText {
        var padded = cell
        let space = String(repeating: " ", count: widths[column] - cell.width)
        let last = column == widths.count - 1
        if numeric[column] {
            padded.text = space + cell.text
        } else if !last {
            padded.text = cell.text + space
        }
        if !last { padded.text += "  " }
        return padded
    }

    private static func cell(_ value: PrettyNode, layout: PrettyLayout) -> PrettyText {
        switch value {
        case .atom(let text):
            guard text.style == .string, let bare = text.bare else { return text }
            return PrettyText(bare, .string)
        case .table:
            let flat = layout.flat(value, budget: 24)
            return PrettyText(flat.map { $0.map(\.text).joined() } ?? "{…}", .note)
        }
    }

    /// Ids first, then the names people read rows by, then the rest alphabetically.
    private static func columnOrder(_ a: String, _ b: String) -> Bool {
        func rank(_ name: String) -> Int {
            if name == "id" || name.hasSuffix("_id") || name.hasSuffix("Id") { return 0 }
            if ["name", "email", "title"].contains(name) { return 1 }
            return 2
        }
        return (rank(a), a) < (rank(b), b)
    }
}
