import CEditLine
import Foundation
import LuaRuntime

#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C while a statement runs: interrupts the Lua state, which stops the statement (and
/// cancels its API calls in flight) and returns to the prompt. A second Ctrl-C before the
/// first was taken (the statement is stuck in C code) ends the process, as lua.c does.
///
/// The signal handler (C, in the shim) writes a byte to a pipe; a thread of this type reads
/// it and interrupts. While the line editor reads a line, Ctrl-C is a key, not a signal.
enum InterruptKey {
    /// From now on Ctrl-C interrupts `interrupter`'s state. `onGiveUp` runs before the process
    /// exits on a second Ctrl-C (to save the history).
    static func install(interrupter: LuaInterrupter, onGiveUp: @escaping @Sendable () -> Void) throws {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw REPLSetupError("cannot catch Ctrl-C: \(String(cString: strerror(errno)))")
        }
        let (reader, writer) = (ends[0], ends[1])
        _ = fcntl(writer, F_SETFL, fcntl(writer, F_GETFL) | O_NONBLOCK)
        _ = fcntl(reader, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writer, F_SETFD, FD_CLOEXEC)
        let thread = Thread { [interrupter, onGiveUp] in
            var byte: UInt8 = 0
            while true {
                let count = Glibc.read(reader, &byte, 1)
                if count < 0, errno == EINTR { continue }
                guard count == 1 else { return }
                if !interrupter.interrupt() {
                    onGiveUp()
                    REPLOutput.standardError(
                        "\nrefonte: interrupted twice; the statement does not stop, so the REPL ends\n"
                    )
                    _exit(130)
                }
            }
        }
        thread.name = "refonte repl interrupts"
        thread.start()
        guard refonte_catch_sigint(writer) == 0 else {
            throw REPLSetupError("cannot catch Ctrl-C: \(String(cString: strerror(errno)))")
        }
    }
}

/// The REPL could not start (a terminal it cannot use, a thread it cannot start).
struct REPLSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
