import Foundation
import TestHelpers
import Testing

/// What `refonte run` starts before its script needs anything: one thread, and no library the
/// script does not use. Seen from outside, in /proc, while the script runs.
@Suite struct RunStartupTests {
    /// The state of a running `refonte run`, read while its script computes.
    struct Running: Sendable {
        var threads: Int
        var libraries: Set<String>
    }

    /// Starts `refonte run -e CODE` with `code` that prints a line and then computes, reads
    /// /proc once that line arrives, and stops the child.
    func inspect(whileRunning code: String) async throws -> Running {
        let process = Process()
        process.executableURL = RunCLI.binary
        process.arguments = ["run", "-e", code]
        process.currentDirectoryURL = RunCLI.repositoryRoot
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        return try await ChildProcesses.shared.runToEnd(process) { process in
            defer {
                // SIGKILL: a child inherits the test process's blocked signals, SIGTERM among them.
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            let line = output.fileHandleForReading.readLine()
            guard line == "ready" else { throw StartupProblem("the script printed \(line ?? "nothing")") }
            let pid = process.processIdentifier
            let status = try Self.read("/proc/\(pid)/status")
            let threads = status.split(separator: "\n").first { $0.hasPrefix("Threads:") }
                .flatMap { Int($0.dropFirst("Threads:".count).trimmingCharacters(in: .whitespaces)) }
            let maps = try Self.read("/proc/\(pid)/maps")
            let libraries = maps.split(separator: "\n").compactMap { line -> String? in
                guard let path = line.split(separator: " ", omittingEmptySubsequences: true).last,
                    path.hasPrefix("/"), path.contains(".so")
                else { return nil }
                return String(path.split(separator: "/").last ?? "")
            }
            return Running(threads: threads ?? -1, libraries: Set(libraries))
        }
    }

    /// A /proc file to its end (its size says 0, so a read by size gets nothing).
    static func read(_ path: String) throws -> String {
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw StartupProblem("cannot open \(path)")
        }
        defer { try? file.close() }
        return String(decoding: file.readDataToEndOfFile(), as: UTF8.self)
    }

    struct StartupProblem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Computing until stopped: no timer, no call, nothing that needs a second thread.
    static let computing = """
        io.write("ready\\n") io.flush()
        local t = os.clock() while os.clock() - t < 60 do end
        """

    @Test func aScriptThatMakesNoCallRunsOnTheMainThreadAlone() async throws {
        let running = try await inspect(whileRunning: Self.computing)
        #expect(running.threads == 1)
    }

    @Test func aScriptLoadsLuaButNotTheREPLsLineEditor() async throws {
        let running = try await inspect(whileRunning: Self.computing)
        #expect(running.libraries.contains { $0.hasPrefix("liblua5.4") })
        #expect(!running.libraries.contains { $0.hasPrefix("libedit") })
    }
}

extension FileHandle {
    /// One line (without its newline), read a byte at a time so nothing after it is consumed;
    /// nil at the end of the stream before any byte.
    fileprivate func readLine() -> String? {
        var bytes: [UInt8] = []
        while true {
            let byte = readData(ofLength: 1)
            guard let first = byte.first else {
                return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
            }
            if first == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(first)
        }
    }
}
