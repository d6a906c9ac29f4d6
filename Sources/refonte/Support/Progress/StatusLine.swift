import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard error when a status line (the progress bar) may sit below the other lines written
/// there. Every writer goes through here, so a log line never lands on the bar: the bar is
/// erased, the line written, and the bar drawn again below it, in one write.
final class StatusLine: Sendable {
    static let standardError = StatusLine()

    private struct State {
        /// The status as drawn now (nil: none on screen).
        var shown: String?
        /// Hidden while standard output is written on the same terminal.
        var hidden = false
    }

    private let descriptor = STDERR_FILENO
    private let state = Mutex(State())

    private static let eraseLine = "\r\u{1B}[2K"

    /// Whether standard error is a terminal that understands the escapes that redraw a line.
    var isTerminal: Bool {
        guard isatty(descriptor) == 1 else { return false }
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        return term != "dumb"
    }

    /// The terminal's width in columns (80 when it does not say).
    var columns: Int {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// Writes whole lines above the status.
    func write(lines text: String) {
        state.withLock { state in
            guard let shown = state.shown, !state.hidden else {
                Self.write(text)
                return
            }
            Self.write(Self.eraseLine + text + shown)
        }
    }

    /// Draws `status` in place of the current one (one line, no newline).
    func show(_ status: String) {
        state.withLock { state in
            state.shown = status
            if !state.hidden { Self.write(Self.eraseLine + status) }
        }
    }

    /// Erases the status; with `leaving`, writes that line in its place for good.
    func clear(leaving line: String? = nil) {
        state.withLock { state in
            let wasShown = state.shown != nil && !state.hidden
            state.shown = nil
            if wasShown || line != nil {
                Self.write((wasShown ? Self.eraseLine : "") + (line ?? ""))
            }
        }
    }

    /// Takes the status off the screen while something else writes to the terminal.
    func hide() {
        state.withLock { state in
            if state.shown != nil, !state.hidden { Self.write(Self.eraseLine) }
            state.hidden = true
        }
    }

    func unhide() {
        state.withLock { state in
            state.hidden = false
            if let shown = state.shown { Self.write(Self.eraseLine + shown) }
        }
    }

    private static func write(_ text: String) {
        var standardError = StandardError()
        standardError.write(text)
    }
}
