import Foundation

/// Percent-decoding of query items and path segments, kept apart from the router so that a
/// name holding `/` or `+` arrives intact.
enum QueryString {
    /// `a=1&b=x+y&b=%2F` → [("a","1"), ("b","x y"), ("b","/")]; `+` is a space in a query.
    static func items(_ raw: String) throws(SandboxError) -> [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        for pair in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decode(String(parts[0]), plusIsSpace: true, what: "query parameter name")
            let value =
                parts.count > 1
                ? try decode(String(parts[1]), plusIsSpace: true, what: "query parameter \(name)") : ""
            items.append((name, value))
        }
        return items
    }

    static func decode(_ text: String, plusIsSpace: Bool, what: String) throws(SandboxError) -> String {
        let spaced = plusIsSpace ? text.replacingOccurrences(of: "+", with: " ") : text
        guard spaced.contains("%") else { return spaced }
        guard let decoded = spaced.removingPercentEncoding else {
            throw .badRequest("\(what) is not valid percent-encoded UTF-8: \"\(text)\"")
        }
        return decoded
    }
}
