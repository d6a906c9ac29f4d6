import LuaRuntime

#if canImport(Glibc)
import Glibc
#endif

/// `csv.write(path, rows [, {header = {...} | false}])`: writes a list of rows to a file the
/// script may write (`--allow-write`), as RFC 4180 says: fields holding a comma, a quote, CR or
/// LF are quoted (quotes doubled), and every record ends with CRLF.
///
/// Rows are lists of values, or tables keyed by column name. The columns: `header = {...}`
/// names them (and writes them as the first record); `header = false` writes no header (rows
/// must be lists); without the option, records keyed by name get their first row's names in
/// sorted order as the header, lists none. Fields are strings, numbers, booleans, or nil and
/// `json.null` (empty).
///
/// Every row is checked before the file is opened, so a bad row leaves no half-written file;
/// the text goes out through a 64 KB buffer, so a large table costs no copy of itself.
struct CSVWriter {
    static let bufferSize = 64 * 1024

    enum Shape {
        case lists
        case records([[UInt8]])
    }

    let stack: LuaStack
    /// Stack index of the rows table and of `json.null`.
    let rows: Int32
    let null: Int32

    /// The columns and whether to write them as a header line, from the options and the rows.
    func shape(header option: LuaType, at index: Int32) throws -> (Shape, header: [[UInt8]]?) {
        switch option {
        case .table:
            var names: [[UInt8]] = []
            for position in stride(from: 1, through: stack.rawLength(index), by: 1) {
                stack.rawGet(index, index: Int64(position))
                defer { stack.pop() }
                guard let name = stack.bytes(at: -1) else {
                    throw CSVError(
                        "options.header[\(position)] must be a column name (a string), got \(stack.typeName(at: -1))"
                    )
                }
                names.append(name)
            }
            guard !names.isEmpty else { throw CSVError("options.header must list at least one column name") }
            return (.records(names), names)
        case .boolean where !stack.boolean(at: index):
            return (.lists, nil)
        case .nil, .boolean:
            guard stack.rawLength(rows) > 0, stack.rawGet(rows, index: 1) == .table else {
                stack.pop()
                return (.lists, nil)
            }
            defer { stack.pop() }
            if stack.rawLength(-1) > 0 { return (.lists, nil) }
            var names: [[UInt8]] = []
            stack.pushNil()
            while stack.next(-2) {
                if stack.type(at: -2) == .string, let name = stack.bytes(at: -2) { names.append(name) }
                stack.pop()
            }
            names.sort { $0.lexicographicallyPrecedes($1) }
            return (.records(names), names)
        default:
            throw CSVError("options.header must be a list of column names or false, got \(option.name)")
        }
    }

    /// Calls `body` with each field of row `position` (nil for an empty field); the row table is
    /// on top of the stack meanwhile. Raises for a row or field that cannot be written.
    func forEachField(
        of position: Int64,
        _ shape: Shape,
        _ body: (UnsafeRawBufferPointer?) throws -> Void
    ) throws {
        guard stack.rawGet(rows, index: position) == .table else {
            defer { stack.pop() }
            throw CSVError("row \(position) must be a table, got \(stack.typeName(at: -1))")
        }
        defer { stack.pop() }
        switch shape {
        case .lists:
            let count = stack.rawLength(-1)
            stack.pushNil()
            if count == 0, stack.next(-2) {
                stack.pop(2)
                throw CSVError(
                    "row \(position) is keyed by name: give options.header = {...} to name the columns"
                )
            }
            if count > 0 { stack.pop() }
            for column in 0..<count {
                stack.rawGet(-1, index: Int64(column + 1))
                defer { stack.pop() }
                try field(row: position, column: "\(column + 1)", body)
            }
        case .records(let names):
            for name in names {
                stack.push(bytes: name)
                stack.rawGetTop(-2)
                defer { stack.pop() }
                try field(row: position, column: String(decoding: name, as: UTF8.self), body)
            }
        }
    }

    /// The value on top as a field's text.
    private func field(row: Int64, column: String, _ body: (UnsafeRawBufferPointer?) throws -> Void) throws {
        switch stack.type(at: -1) {
        case .nil:
            try body(nil)
        case .string:
            try stack.withBytes(at: -1) { try body($0) }
        case .number:
            let text = Self.numberText(integer: stack.integer(at: -1), number: stack.number(at: -1) ?? 0)
            try text.utf8CString.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0.dropLast())) }
        case .boolean:
            let text = stack.boolean(at: -1) ? "true" : "false"
            try text.utf8CString.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0.dropLast())) }
        default:
            if stack.rawEqual(-1, null) { return try body(nil) }
            throw CSVError(
                "row \(row), column \(column): a \(stack.typeName(at: -1)) cannot be a CSV field "
                    + "(give a string, number, boolean or nil; json.encode it first for a table)"
            )
        }
    }

    /// A number as Lua's `tostring` writes it (`3`, `0.5`, `1e+20`, `3.0`).
    static func numberText(integer: Int64?, number: Double) -> String {
        if let integer { return String(integer) }
        if number.isNaN { return number.sign == .minus ? "-nan" : "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([number]) { vsnprintf(&buffer, buffer.count, "%.14g", $0) }
        let text = String(
            decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) },
            as: UTF8.self
        )
        return text.contains(where: { $0 == "." || $0 == "e" || $0 == "n" || $0 == "i" }) ? text : text + ".0"
    }

    /// Appends `field` quoted as RFC 4180 needs.
    static func append(_ field: UnsafeRawBufferPointer?, to out: inout [UInt8]) {
        guard let field else { return }
        let needsQuotes = field.contains {
            $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D
        }
        guard needsQuotes else { return out.append(contentsOf: field) }
        out.append(UInt8(ascii: "\""))
        for byte in field {
            if byte == UInt8(ascii: "\"") { out.append(byte) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }
}
