import Foundation
import RefonteAPI

/// Milliseconds since 1970, the form in which the store keeps every date. Dates are read and
/// written with the package's one date grammar, `DateTime`.
struct Timestamp: Sendable, Hashable, Comparable {
    var milliseconds: Int64

    init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    static func now() -> Timestamp {
        Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    static func < (a: Timestamp, b: Timestamp) -> Bool { a.milliseconds < b.milliseconds }

    func adding(days: Int64) -> Timestamp {
        Timestamp(milliseconds: milliseconds + days * 86_400_000)
    }

    /// `2026-11-29T05:03:24.123Z`
    var iso8601: String { DateTime.text(milliseconds: milliseconds) }

    /// An RFC 3339 date-time, such as `2026-11-29T05:03:24.123Z` or `2026-11-29T07:03:24+02:00`.
    init?(iso8601 text: String) {
        guard let milliseconds = DateTime.milliseconds(text) else { return nil }
        self.milliseconds = milliseconds
    }
}
