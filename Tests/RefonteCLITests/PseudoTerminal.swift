import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs the `refonte` binary with a pseudo-terminal as its standard input, output and error,
/// as in an operator's terminal, and returns every byte it drew there.
enum PseudoTerminal {
    struct Output {
        var status: Int32
        /// The raw bytes as the terminal received them (`\n` arrives as `\r\n`).
        var text: String
        var seconds: Double
    }

    static func run(
        _ arguments: [String],
        environment: [String: String],
        columns: UInt16 = 100
    ) throws -> Output {
        var controller: Int32 = -1
        var device: Int32 = -1
        var size = winsize(ws_row: 40, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&controller, &device, nil, nil, &size) == 0 else {
            throw FixtureError("openpty: \(String(cString: strerror(errno)))")
        }
        let process = Process()
        process.executableURL = RunCLI.binary
        process.arguments = arguments
        var environment = environment
        environment["TERM"] = "xterm-256color"
        process.environment = environment
        process.currentDirectoryURL = RunCLI.repositoryRoot
        let terminal = FileHandle(fileDescriptor: device, closeOnDealloc: false)
        process.standardInput = terminal
        process.standardOutput = terminal
        process.standardError = terminal
        let started = Date()
        do {
            try process.run()
        } catch {
            close(controller)
            close(device)
            throw error
        }
        // Only the child holds the terminal now, so reading ends (EIO) when it exits.
        close(device)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(controller, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        close(controller)
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            text: String(decoding: bytes, as: UTF8.self),
            seconds: Date().timeIntervalSince(started)
        )
    }
}
