import LuaRuntime

#if canImport(Glibc)
import Glibc
#endif

/// `csv.read(path [, {header = false}])`: a CSV file the script may read (`--allow-read`, or
/// the script's own folder) as a list of rows. With a header line (the default) each row is a
/// table keyed by column name; without, a list of strings.
///
/// The file is read in chunks and each record goes into Lua as soon as it ends, so the host
/// holds one chunk and one record, and the rows count toward `--max-memory` as they are made.
public struct CSVExtension: ScriptExtension {
    public init() {}

    static let chunkSize = 64 * 1024

    public func install(in context: ScriptContext) throws {
        let files = context.files
        let read = LuaSwiftFunction("csv.read") { call in
            guard call.type(1) == .string else { throw call.mismatch(1, "path", expected: "a string") }
            var header = true
            if !call.isMissing(2) {
                try call.expect(2, "options", is: .table)
                call.stack.reserve(1)
                if call.stack.rawGet(2, field: "header") != .nil { header = call.stack.boolean(at: -1) }
                call.stack.pop()
            }
            let descriptor: Int32
            let path: String
            do {
                path = try OpenFileFunction.pathArgument(call, position: 1)
                descriptor = try files.open(path, flags: O_RDONLY, operation: "csv.read")
            } catch let error as FileAccessError {
                call.stack.reserve(1)
                switch error {
                case .denied(let message):
                    call.stack.push(message.hasPrefix("csv.read") ? message : "csv.read: \(message)")
                    return .raise
                case .system(let missing, let code):
                    throw CSVError(
                        "cannot open \(error)" + (code == ENOENT ? files.missingFileHint(missing) : "")
                    )
                }
            }
            defer { close(descriptor) }
            call.stack.setTop(0)
            call.stack.reserve(6)
            call.stack.newTable()
            var rows = RowBuilder(stack: call.stack, header: header, path: path)
            var parser = CSVParser()
            var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
            while true {
                let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw CSVError("cannot read \(path): \(String(cString: strerror(errno)))")
                }
                if count == 0 { break }
                try parser.feed(chunk[0..<count]) { try rows.add($0) }
                guard call.stack.withinLimits(reserving: parser.pendingBytes) else { throw LuaLimitReached() }
            }
            try parser.finish { try rows.add($0) }
            call.stack.setTop(1)
            return .results(1)
        }
        let write = LuaSwiftFunction("csv.write") { call in
            guard call.type(1) == .string else { throw call.mismatch(1, "path", expected: "a string") }
            guard call.type(2) == .table else {
                throw call.mismatch(2, "rows", expected: "a list of rows (tables)")
            }
            if !call.isMissing(3) { try call.expect(3, "options", is: .table) }
            let stack = call.stack
            stack.setTop(3)
            stack.reserve(8)
            if stack.type(at: 3) == .table { stack.rawGet(3, field: "header") } else { stack.pushNil() }
            JSONMarkers.push(JSONMarkers.nullKey, on: stack)
            let writer = CSVWriter(stack: stack, rows: 2, null: 5)
            let (shape, header) = try writer.shape(header: stack.type(at: 4), at: 4)
            let count = Int64(stack.rawLength(2))
            // Every row is checked before the file is opened: a bad one leaves no half-written file.
            for position in stride(from: Int64(1), through: count, by: 1) {
                try writer.forEachField(of: position, shape) { _ in }
                guard stack.withinLimits() else { throw LuaLimitReached() }
            }
            let path: String
            let descriptor: Int32
            do {
                path = try OpenFileFunction.pathArgument(call, position: 1)
                descriptor = try files.open(path, flags: O_WRONLY | O_CREAT | O_TRUNC, operation: "csv.write")
            } catch let error as FileAccessError {
                switch error {
                case .denied(let message):
                    stack.push(message.hasPrefix("csv.write") ? message : "csv.write: \(message)")
                    return .raise
                case .system: throw CSVError("cannot open \(error)")
                }
            }
            defer { close(descriptor) }
            var buffer: [UInt8] = []
            buffer.reserveCapacity(CSVWriter.bufferSize * 2)
            func flush() throws {
                try buffer.withUnsafeBytes { bytes in
                    var offset = 0
                    while offset < bytes.count {
                        let written = Glibc.write(
                            descriptor,
                            bytes.baseAddress! + offset,
                            bytes.count - offset
                        )
                        if written < 0 {
                            if errno == EINTR { continue }
                            throw CSVError("cannot write \(path): \(String(cString: strerror(errno)))")
                        }
                        offset += written
                    }
                }
                buffer.removeAll(keepingCapacity: true)
            }
            let lineEnd: [UInt8] = [0x0D, 0x0A]
            if let header {
                for (offset, name) in header.enumerated() {
                    if offset > 0 { buffer.append(UInt8(ascii: ",")) }
                    name.withUnsafeBytes { CSVWriter.append($0, to: &buffer) }
                }
                buffer += lineEnd
            }
            for position in stride(from: Int64(1), through: count, by: 1) {
                var first = true
                try writer.forEachField(of: position, shape) { field in
                    if !first { buffer.append(UInt8(ascii: ",")) }
                    first = false
                    CSVWriter.append(field, to: &buffer)
                }
                buffer += lineEnd
                if buffer.count >= CSVWriter.bufferSize { try flush() }
                guard stack.withinLimits() else { throw LuaLimitReached() }
            }
            try flush()
            stack.setTop(0)
            return try call.returning(.integer(count))
        }
        try context.state.setGlobal(
            "csv",
            .table(.map(["read": .function(.swift(read)), "write": .function(.swift(write))]))
        )
    }
}

/// Puts each record into the result table at stack index 1 (the header's names at 2).
private struct RowBuilder {
    let stack: LuaStack
    let header: Bool
    let path: String
    var names = 0
    var count: Int64 = 0

    mutating func add(_ fields: CSVRecord) throws {
        if header && count == 0 && names == 0 {
            stack.newTable(arrayCount: Int32(clamping: fields.count))
            for offset in 0..<fields.count {
                stack.push(bytes: fields[offset])
                stack.rawSet(-2, index: Int64(offset + 1))
            }
            names = fields.count
            guard stack.withinLimits() else { throw LuaLimitReached() }
            return
        }
        if header {
            guard fields.count == names else {
                throw CSVError(
                    "\(path): record \(count + 2) has \(fields.count) fields, the header has \(names)"
                )
            }
            stack.newTable(recordCount: Int32(clamping: fields.count))
            for offset in 0..<fields.count {
                stack.rawGet(2, index: Int64(offset + 1))
                stack.push(bytes: fields[offset])
                stack.rawSet(-3)
            }
        } else {
            stack.newTable(arrayCount: Int32(clamping: fields.count))
            for offset in 0..<fields.count {
                stack.push(bytes: fields[offset])
                stack.rawSet(-2, index: Int64(offset + 1))
            }
        }
        count += 1
        stack.rawSet(1, index: count)
        guard stack.withinLimits() else { throw LuaLimitReached() }
    }
}

struct CSVError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension CSVExtension {
    static let global = ScriptGlobal(
        "csv",
        stub: """
            ---CSV files the script may read (its own folder, or `--allow-read`) and write
            ---(`--allow-write`).
            csv = {}

            ---Reads a CSV file: with a header line (the default) a list of tables keyed by column
            ---name, with `{header = false}` a list of lists of strings.
            ---@param path string
            ---@param options? {header: boolean}
            ---@return table[]
            function csv.read(path, options) end

            ---Writes rows to a CSV file (RFC 4180: quoted where needed, CRLF line ends); needs
            ---`--allow-write`. Rows are lists of values, or tables keyed by column name:
            ---`header = {"email", "role"}` names the columns (and writes them first), `header =
            ---false` writes no header line; without it, keyed rows get their first row's names,
            ---sorted. Fields: strings, numbers, booleans, nil or json.null (empty). Every row is
            ---checked before the file is opened. Returns the number of rows written.
            ---@param path string
            ---@param rows table[]
            ---@param options? {header: string[]|false}
            ---@return integer
            function csv.write(path, rows, options) end

            """
    )
}
