#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `NO_PROXY`, matched as curl matches it: `*` alone covers every host; otherwise a list
/// separated by commas or spaces, where a name covers itself and its subdomains (a leading `.`
/// or `*.` changes nothing: `.example.com` and `example.com` both cover `api.example.com`), and
/// an IP address, or a range in CIDR form (`10.0.0.0/8`, `::1/128`), covers the addresses it
/// names. Names are compared without case; a port in an entry is ignored.
struct NoProxyList {
    private let entries: [Substring]
    private let coversAll: Bool

    init(_ value: String) {
        entries = value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" })
        coversAll = entries.count == 1 && entries[0] == "*"
    }

    func covers(host rawHost: String) -> Bool {
        if coversAll { return true }
        let host = Self.bare(rawHost).lowercased()
        let address = IPAddress(host)
        for entry in entries {
            if let address {
                if let range = IPRange(String(entry)), range.contains(address) { return true }
                continue
            }
            var name = Self.withoutPort(entry).lowercased()
            if name.hasPrefix("*.") { name.removeFirst(2) }
            while name.hasPrefix(".") { name.removeFirst() }
            while name.hasSuffix(".") { name.removeLast() }
            guard !name.isEmpty else { continue }
            if host == name || host.hasSuffix("." + name) { return true }
        }
        return false
    }

    /// `[::1]` is `::1`; `example.com.` is `example.com`.
    private static func bare(_ host: String) -> String {
        var host = Substring(host)
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        while host.hasSuffix(".") { host = host.dropLast() }
        return String(host)
    }

    /// `example.com:8080` is `example.com`; an IPv6 address keeps its colons.
    private static func withoutPort(_ entry: Substring) -> String {
        guard entry.filter({ $0 == ":" }).count == 1, let colon = entry.firstIndex(of: ":") else {
            return String(entry)
        }
        return String(entry[..<colon])
    }
}

/// An IPv4 or IPv6 address as bytes.
struct IPAddress: Equatable {
    var bytes: [UInt8]

    init?(_ text: String) {
        var text = Substring(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, String(text), &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, String(text), &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
        } else {
            return nil
        }
    }
}

/// An address with a prefix length: `10.0.0.0/8`; a bare address is a range of one.
struct IPRange {
    var base: IPAddress
    var prefix: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let base = IPAddress(String(first)) else { return nil }
        let bits = base.bytes.count * 8
        if parts.count == 2 {
            guard let prefix = Int(parts[1]), (0...bits).contains(prefix) else { return nil }
            self.prefix = prefix
        } else {
            self.prefix = bits
        }
        self.base = base
    }

    func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == base.bytes.count else { return false }
        var remaining = prefix
        for (mine, theirs) in zip(base.bytes, address.bytes) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            if mine & mask != theirs & mask { return false }
            remaining -= 8
        }
        return true
    }
}
