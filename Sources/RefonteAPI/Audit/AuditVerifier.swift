import Foundation

/// Checks an audit log's hash chain and names the first line that breaks it.
///
/// Each line must hash to the `hash` it carries (else it was edited), carry the previous
/// line's hash as `prev` and the next sequence number as `seq` (else a line was deleted or
/// inserted before it). A chain cannot show that lines were cut from its end: `lastHash` is
/// printed so that it can be kept elsewhere and compared later.
public enum AuditVerifier {
    public struct Report: Sendable, Hashable {
        /// Lines read (up to and including the first bad one).
        public var lines: Int
        public var lastHash: String
        /// The first bad line and what is wrong with it.
        public var problem: Problem?

        public var isIntact: Bool { problem == nil }
    }

    public struct Problem: Sendable, Hashable {
        /// 1-based.
        public var line: Int
        public var reason: String
    }

    public static func verify(path: String) throws(AuditError) -> Report {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditError(path: path, reason: "cannot read it (missing, or not readable)")
        }
        return verify(Array(data))
    }

    public static func verify(_ bytes: [UInt8]) -> Report {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var previous = SHA256Digest.zero
        var expected: Int64 = 1
        for (offset, line) in lines.enumerated() {
            let number = offset + 1
            func bad(_ reason: String) -> Report {
                Report(lines: number, lastHash: previous, problem: Problem(line: number, reason: reason))
            }
            guard let sealed = AuditLine.open(line) else {
                return bad(
                    "it is not a sealed audit record (it lacks its trailing \"hash\" field): it was edited or cut short"
                )
            }
            guard SHA256Digest.hex(sealed.content) == sealed.claimed else {
                return bad("it was edited: its content does not match its hash")
            }
            guard case .object(let fields)? = try? JSONValue.parse(sealed.content),
                case .integer(let seq)? = fields["seq"], case .string(let prev)? = fields["prev"]
            else {
                return bad("it is not an audit record (no \"seq\" and \"prev\")")
            }
            if prev != previous || seq != expected {
                if seq > expected {
                    let missing = seq - expected
                    return bad(
                        "\(missing) line\(missing == 1 ? " was" : "s were") deleted before it "
                            + "(it is record \(seq), record \(expected) was expected)"
                    )
                }
                if seq < expected {
                    return bad(
                        "it was inserted (it claims to be record \(seq), record \(expected) was expected)"
                    )
                }
                return bad("it does not follow the line before it: its \"prev\" is not that line's hash")
            }
            previous = sealed.claimed
            expected = seq + 1
        }
        return Report(lines: lines.count, lastHash: previous, problem: nil)
    }
}
