/// Why a schedule command or the scheduler could not do what it was asked. The message names the
/// flag, field or schedule and says what was expected.
public struct ScheduleError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Bad input: a flag, a value, an expression, a name (the command line exits with 2).
        case usage
        /// No schedule by that name.
        case notFound
        /// The store cannot be opened or answered with an error.
        case store
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    static func usage(_ message: String) -> ScheduleError { ScheduleError(.usage, message) }
    static func store(_ message: String) -> ScheduleError { ScheduleError(.store, message) }
}
