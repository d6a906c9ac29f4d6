import struct Foundation.URL

enum RequestURL {
    /// Joins the base URL, the operation's already-encoded path and the query items.
    /// `http://127.0.0.1:8080/v1` + `/teams` gives `http://127.0.0.1:8080/v1/teams`.
    static func make(baseURL: URL, request: PreparedRequest) -> String {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var path = request.path
        if !path.hasPrefix("/") { path = "/" + path }
        var url = base + path
        if !request.query.isEmpty {
            url += "?"
            url += request.query.map { "\(encode($0.name))=\(encode($0.value))" }.joined(separator: "&")
        }
        return url
    }

    /// Query names and values arrive raw; everything but RFC 3986's unreserved characters is
    /// percent-encoded, so `+`, `&`, `=` and spaces in a value survive the trip.
    static func encode(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(UnicodeScalar(byte))
            default:
                encoded += "%" + hex[Int(byte >> 4)] + hex[Int(byte & 0x0F)]
            }
        }
        return encoded
    }

    private static let hex = "0123456789ABCDEF".map(String.init)
}
