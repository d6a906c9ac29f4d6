import Foundation

enum ErrorBody {
    /// The message of a contract error body `{"status_code": N, "error": "..."}`, or a clear
    /// fallback when the body is missing or not that shape (a proxy's HTML page, say).
    static func message(status: Int, body: [UInt8]) -> String {
        if let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] {
            for field in ["error", "message", "detail"] {
                if let text = object[field] as? String, !text.isEmpty { return text }
            }
        }
        if (200..<300).contains(status) {
            return "the server answered \(status); the API answers 200 on success"
        }
        let reason = reasonPhrases[status].map { " \($0)" } ?? ""
        return "the server answered HTTP \(status)\(reason) without an error message"
    }

    private static let reasonPhrases: [Int: String] = [
        400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
        404: "Not Found", 405: "Method Not Allowed", 409: "Conflict", 413: "Content Too Large",
        429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
        503: "Service Unavailable", 504: "Gateway Timeout",
    ]
}

enum RetryAfter {
    /// `Retry-After` in seconds. The contract sends whole seconds; fractions are accepted, and
    /// the HTTP-date form is ignored (the client falls back to its own backoff).
    static func parse(_ value: String?) -> Double? {
        guard let value, let seconds = Double(value.trimmingCharacters(in: .whitespaces)),
            seconds.isFinite, seconds >= 0
        else { return nil }
        return seconds
    }
}
