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
                case .system: throw CSVError("cannot open \(error)")
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
        try context.state.setGlobal("csv", .table(.map(["read": .function(.swift(read))])))
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
