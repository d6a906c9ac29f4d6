#if canImport(Glibc)
import Glibc
#endif

/// The colour of a piece of printed value.
enum PrettyStyle {
    case plain
    case string
    case number
    /// `true`, `false`, `nil`.
    case keyword
    /// `json.null`: shown apart from `nil` and from the string "null".
    case null
    /// A dry run's placeholder, `(known after apply)`: shown apart from a string of that text.
    case unknown
    /// What is not data: `<function>`, `<cycle>`, `{…}`, `… 3 more`, a metatable's name.
    case note
    /// The header of a record table.
    case header
    /// The name a REPL result is kept under (`_1 =`).
    case label

    /// ANSI SGR parameters; nil for text that stays as it is.
    var code: String? {
        switch self {
        case .plain: nil
        case .string: "32"
        case .number: "33"
        case .keyword: "35"
        case .null: "1;35"
        case .unknown: "3;36"
        case .note: "2"
        case .header: "1"
        case .label: "2"
        }
    }

    func apply(_ text: String, colour: Bool) -> String {
        guard colour, let code, !text.isEmpty else { return text }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

/// Facts about the terminal standard output goes to, read when a value is printed.
public enum TerminalFacts {
    /// Colour when standard output is a terminal, `NO_COLOR` is unset or empty and `TERM` is
    /// not `dumb` (https://no-color.org).
    public static func colourOnStandardOutput() -> Bool {
        guard isatty(STDOUT_FILENO) == 1 else { return false }
        if let noColour = getenv("NO_COLOR"), noColour.pointee != 0 { return false }
        if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
        return true
    }

    /// The width of the terminal on standard output; else `COLUMNS`; else 80.
    public static func columns() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let text = getenv("COLUMNS"), let columns = Int(String(cString: text)), columns > 0 {
            return columns
        }
        return 80
    }
}
