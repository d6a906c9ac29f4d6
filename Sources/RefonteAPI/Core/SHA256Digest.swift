import Crypto

/// SHA-256 as lower-case hex, for script hashes, read fingerprints and the audit log's chain.
public enum SHA256Digest {
    public static func hex<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        let digest =
            bytes.withContiguousStorageIfAvailable { SHA256.hash(data: $0) }
            ?? SHA256.hash(data: Array(bytes))
        var text = ""
        text.reserveCapacity(64)
        for byte in digest {
            text += String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16)
        }
        return text
    }

    public static func hex(_ text: String) -> String { hex(Array(text.utf8)) }

    /// 64 zeros: the `prev` of a log's first record.
    public static let zero = String(repeating: "0", count: 64)
}
