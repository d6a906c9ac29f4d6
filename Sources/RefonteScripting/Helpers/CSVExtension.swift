import LuaRuntime

#if canImport(Glibc)
import Glibc
#endif

/// `csv.read(path [, {header = false}])`: a CSV file the script may read (`--allow-read`, or
/// the script's own folder) as a list of rows. With a header line (the default) each row is a
/// table keyed by column name; without, a list of strings.
public struct CSVExtension: ScriptExtension {
    public init() {}

    public func install(in context: ScriptContext) throws {
        let permissions = context.permissions
        let read = LuaSwiftFunction("csv.read") { call in
            let path = try call.string(1, "path")
            var header = true
            if !call.isMissing(2) {
                try call.expect(2, "options", is: .table)
                call.stack.reserve(1)
                if call.stack.rawGet(2, field: "header") != .nil { header = call.stack.boolean(at: -1) }
                call.stack.pop()
            }
            if let denial = permissions.denialToRead(path, operation: "csv.read") {
                call.stack.reserve(1)
                call.stack.push(denial)
                return .raise
            }
            let bytes = try FileBytes.read(path)
            let records = try CSVParser.parse(bytes)
            return try call.returning(try Self.rows(records, header: header, path: path))
        }
        try context.state.setGlobal("csv", .table(.map(["read": .function(.swift(read))])))
    }

    static func rows(_ records: [[String]], header: Bool, path: String) throws -> LuaValue {
        guard header else {
            return .table(.array(records.map { .table(.array($0.map { .string($0) })) }))
        }
        guard let names = records.first else { return .table(.array([])) }
        var rows: [LuaValue] = []
        for (offset, record) in records.dropFirst().enumerated() {
            guard record.count == names.count else {
                throw CSVError(
                    "\(path): record \(offset + 2) has \(record.count) fields, the header has \(names.count)"
                )
            }
            var row: [LuaValue: LuaValue] = [:]
            for (name, field) in zip(names, record) { row[.string(name)] = .string(field) }
            rows.append(.table(.map(row)))
        }
        return .table(.array(rows))
    }
}

struct CSVError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Whole-file reads for the helpers, with errors that name the file.
enum FileBytes {
    static func read(_ path: String) throws(CSVError) -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            throw CSVError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            bytes.append(contentsOf: buffer[0..<count])
            if count < buffer.count {
                if ferror(file) != 0 { throw CSVError("cannot read \(path)") }
                return bytes
            }
        }
    }
}

extension CSVExtension {
    static let global = ScriptGlobal(
        "csv",
        stub: """
            ---CSV files the script may read (its own folder, or `--allow-read`).
            csv = {}

            ---Reads a CSV file: with a header line (the default) a list of tables keyed by column
            ---name, with `{header = false}` a list of lists of strings.
            ---@param path string
            ---@param options? {header: boolean}
            ---@return table[]
            function csv.read(path, options) end

            """
    )
}
