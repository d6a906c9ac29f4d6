#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line of the audit log in its exact bytes: the record as compact JSON with sorted keys,
/// then `,"hash":"<sha256 of everything before it, closed with }>"}`. The hash covers the
/// bytes as written, so checking a line needs no re-encoding.
enum AuditLine {
    static let hashPrefix = Array(#","hash":""#.utf8)

    /// The line for `record` (which holds `seq` and `prev`), without its newline.
    static func seal(_ record: [String: JSONValue]) -> [UInt8] {
        var bytes = JSONValue.object(record).encoded()
        let hash = SHA256Digest.hex(bytes)
        bytes.removeLast()
        bytes += hashPrefix + Array(hash.utf8) + Array(#""}"#.utf8)
        return bytes
    }

    /// The record a line holds and the hash it claims, when it has the sealed form; `content`
    /// is the bytes its hash must cover.
    static func open(_ line: ArraySlice<UInt8>) -> (content: [UInt8], claimed: String)? {
        let tail = hashPrefix.count + 64 + 2
        guard line.count > tail + 1, line.last == UInt8(ascii: "}") else { return nil }
        let start = line.endIndex - tail
        guard Array(line[start..<(start + hashPrefix.count)]) == hashPrefix,
            line[line.endIndex - 2] == UInt8(ascii: "\"")
        else { return nil }
        let hash = line[(start + hashPrefix.count)..<(line.endIndex - 2)]
        guard hash.allSatisfy({ JSONText.hexValue($0) != nil && !(0x41...0x46).contains($0) }) else {
            return nil
        }
        return (Array(line[..<start]) + [UInt8(ascii: "}")], String(decoding: hash, as: UTF8.self))
    }

    struct Tail {
        var seq: Int64
        var hash: String
        var endsWithNewline: Bool
    }

    /// The sequence number and hash of the file's last line, read backwards from its end; nil
    /// for an empty file. A last line that is no sealed record (a write cut short) is chained
    /// onto by the hash of its bytes, so that `audit verify` points at it.
    static func last(in descriptor: Int32) -> Tail? {
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size > 0 else { return nil }
        let size = Int(status.st_size)
        var end = size
        var line: [UInt8] = []
        var endsWithNewline = false
        var chunk = [UInt8](repeating: 0, count: 4096)
        var found = false
        while end > 0, !found {
            let start = max(0, end - chunk.count)
            let count = chunk.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress, end - start, off_t(start))
            }
            guard count == end - start else { return nil }
            var piece = Array(chunk[0..<count])
            if end == size, piece.last == 0x0A {
                endsWithNewline = true
                piece.removeLast()
            }
            if let newline = piece.lastIndex(of: 0x0A) {
                line = Array(piece[(newline + 1)...]) + line
                found = true
            } else {
                line = piece + line
            }
            end = start
        }
        guard let sealed = open(line[...]), case .object(let fields)? = try? JSONValue.parse(sealed.content),
            case .integer(let seq)? = fields["seq"]
        else {
            return Tail(seq: 0, hash: SHA256Digest.hex(line), endsWithNewline: endsWithNewline)
        }
        return Tail(seq: seq, hash: sealed.claimed, endsWithNewline: endsWithNewline)
    }
}
