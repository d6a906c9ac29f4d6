import LuaRuntime
import RefonteAPI
import RefonteScripting

#if canImport(Glibc)
import Glibc
#endif

/// Where the REPL writes: results on standard output, errors and notices on standard error.
/// Everything passes through `redact`, so the API key never reaches the echo, even if typed.
struct REPLOutput: Sendable {
    enum Stream: Sendable {
        case output
        case errors
    }

    /// Colour results (standard output is a terminal and `NO_COLOR` is not set).
    var colour: Bool
    /// Show the name a result is kept under (`_1 = `): at a terminal, not in a pipe.
    var labels: Bool
    var redact: @Sendable (String) -> String
    /// Writes the text; the process's standard output and error unless a test captures them.
    var sink: @Sendable (Stream, String) -> Void = REPLOutput.write

    func prettyOptions() -> PrettyOptions {
        var options = PrettyOptions()
        options.width = TerminalFacts.columns()
        options.colour = colour
        return options
    }

    func result(_ text: String) {
        sink(.output, redact(text))
    }

    /// A line of text on standard output, after what scripts printed.
    func line(_ text: String) {
        sink(.output, redact(text) + "\n")
    }

    func error(_ text: String) {
        sink(.errors, redact(text) + "\n")
    }

    func notice(_ text: String) {
        error("refonte: " + text)
    }

    func flush() {
        LuaStandardOutput.flush()
    }

    /// Standard output through C's buffer (the one Lua's `print` uses, so they keep their
    /// order); standard error after flushing it.
    static func write(_ stream: Stream, _ text: String) {
        switch stream {
        case .output:
            PrettyPrinter.write(text)
        case .errors:
            LuaStandardOutput.flush()
            standardError(text)
        }
    }

    static func standardError(_ text: String) {
        var text = text
        _ = text.withUTF8 { FileDescriptorIO.writeAll(UnsafeRawBufferPointer($0), to: STDERR_FILENO) }
    }
}
