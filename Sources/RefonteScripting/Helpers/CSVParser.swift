/// RFC 4180 records: commas, double-quoted fields with `""` for a quote, CRLF or LF line ends,
/// a leading UTF-8 byte order mark ignored, and blank lines skipped.
///
/// Incremental: bytes are fed in chunks as the file is read, and each record is handed on as
/// soon as it ends, so only the record being read is held (`pendingBytes`), in one buffer.
struct CSVParser {
    private var record = CSVRecord()
    private var quoted = false
    /// In a quoted field, a quote was the last byte: the next one tells whether it closed the
    /// field or was the first of `""`.
    private var quotePending = false
    /// A CR ended a record: an LF right after it belongs to the same line end.
    private var skipLineFeed = false
    /// Bytes of a leading byte order mark matched so far; nil once past it.
    private var markMatched: Int? = 0
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    private(set) var line = 1

    /// Memory the record not finished yet holds.
    var pendingBytes: Int { record.bytes.count + record.ends.count * MemoryLayout<Int>.size }

    private var fieldIsEmpty: Bool { record.bytes.count == (record.ends.last ?? 0) }

    mutating func feed<Bytes: Collection<UInt8>>(
        _ chunk: Bytes,
        onRecord: (CSVRecord) throws -> Void
    ) throws {
        for byte in chunk {
            if let matched = markMatched {
                if byte == Self.byteOrderMark[matched] {
                    markMatched = matched + 1 == Self.byteOrderMark.count ? nil : matched + 1
                    continue
                }
                // Not a byte order mark after all: what matched is data.
                markMatched = nil
                for held in Self.byteOrderMark[..<matched] { try take(held, onRecord) }
            }
            try take(byte, onRecord)
        }
    }

    private mutating func take(_ byte: UInt8, _ onRecord: (CSVRecord) throws -> Void) throws {
        if skipLineFeed {
            skipLineFeed = false
            if byte == 0x0A { return }
        }
        if quoted {
            if quotePending {
                quotePending = false
                if byte == UInt8(ascii: "\"") {
                    record.bytes.append(byte)
                    return
                }
                quoted = false
            } else {
                if byte == UInt8(ascii: "\"") {
                    quotePending = true
                } else {
                    if byte == 0x0A { line += 1 }
                    record.bytes.append(byte)
                }
                return
            }
        }
        switch byte {
        case UInt8(ascii: ","):
            endField()
        case UInt8(ascii: "\""):
            guard fieldIsEmpty else {
                throw CSVError("line \(line): a quote inside an unquoted field; quote the whole field")
            }
            quoted = true
        case 0x0D:
            try endRecord(onRecord)
            skipLineFeed = true
            line += 1
        case 0x0A:
            try endRecord(onRecord)
            line += 1
        default:
            record.bytes.append(byte)
        }
    }

    /// Ends the input: hands on the last record.
    mutating func finish(onRecord: (CSVRecord) throws -> Void) throws {
        if let matched = markMatched {
            markMatched = nil
            for held in Self.byteOrderMark[..<matched] { try take(held, onRecord) }
        }
        if quoted && !quotePending { throw CSVError("line \(line): a quoted field is not closed") }
        if !record.bytes.isEmpty || !record.ends.isEmpty || quotePending { try endRecord(onRecord) }
        quoted = false
        quotePending = false
    }

    private mutating func endField() {
        record.ends.append(record.bytes.count)
    }

    private mutating func endRecord(_ onRecord: (CSVRecord) throws -> Void) throws {
        endField()
        if !(record.ends.count == 1 && record.bytes.isEmpty) { try onRecord(record) }
        // A fresh buffer: one long record must not leave its capacity to all the next ones.
        record = CSVRecord()
    }

    /// Every record of `input`, for tests and small inputs.
    static func parse(_ input: [UInt8]) throws -> [[String]] {
        var parser = CSVParser()
        var records: [[String]] = []
        let collect: (CSVRecord) -> Void = { record in
            records.append((0..<record.count).map { String(decoding: record[$0], as: UTF8.self) })
        }
        try parser.feed(input, onRecord: collect)
        try parser.finish(onRecord: collect)
        return records
    }
}

/// One record's fields, end to end in one buffer.
struct CSVRecord {
    var bytes: [UInt8] = []
    /// Where each field ends in `bytes`.
    var ends: [Int] = []

    var count: Int { ends.count }

    subscript(position: Int) -> ArraySlice<UInt8> {
        bytes[(position == 0 ? 0 : ends[position - 1])..<ends[position]]
    }
}
