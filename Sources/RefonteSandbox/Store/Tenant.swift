/// The data that one API key sees: an account in one mode (`live` or `test`).
public struct Tenant: Sendable, Hashable {
    public var id: Int64
    public var account: String
    public var mode: Mode
    /// Studio accounts may use the `labeler` role and Studio projects (402 otherwise).
    public var studio: Bool

    public enum Mode: String, Sendable, Hashable, CaseIterable {
        case live
        case test

        /// The mode that a key's prefix selects, or nil for a key of neither kind.
        public init?(key: String) {
            if key.hasPrefix("live_") {
                self = .live
            } else if key.hasPrefix("test_") {
                self = .test
            } else {
                return nil
            }
        }
    }
}

/// The account that `--api-key` keys and the demo seed use.
public let defaultAccount = "default"
