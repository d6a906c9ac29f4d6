/// RFC 4180 records: commas, double-quoted fields with `""` for a quote, CRLF or LF line ends,
/// a leading UTF-8 byte order mark ignored, and blank lines skipped.
enum CSVParser {
    static func parse(_ input: [UInt8]) throws(CSVError) -> [[String]] {
        var bytes = input[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var line = 1
        var index = bytes.startIndex

        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func endRecord() {
            endField()
            if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
            record.removeAll(keepingCapacity: true)
        }

        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\""):
                guard field.isEmpty else {
                    throw CSVError("line \(line): a quote inside an unquoted field; quote the whole field")
                }
                quoted = true
            case UInt8(ascii: "\r"):
                if index < bytes.endIndex, bytes[index] == UInt8(ascii: "\n") { index += 1 }
                endRecord()
                line += 1
            case UInt8(ascii: "\n"):
                endRecord()
                line += 1
            default:
                field.append(byte)
            }
        }
        if quoted { throw CSVError("line \(line): a quoted field is not closed") }
        if !field.isEmpty || !record.isEmpty { endRecord() }
        return records
    }
}
