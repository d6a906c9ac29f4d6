/// A configuration string that could not be read; the message names the option.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var option: String
    public var value: String
    public var expected: String

    public var description: String { "\(option) \"\(value)\": \(expected)" }
}
