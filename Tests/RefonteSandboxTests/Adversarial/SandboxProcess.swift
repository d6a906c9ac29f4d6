import Foundation
import Synchronization
import TestHelpers

#if canImport(Glibc)
import Glibc
#endif

/// The built `refonte sandbox` as a child process: its base URL, its standard error as it
/// grows, and its memory, read from /proc.
final class SandboxProcess: Sendable {
    static let key = "test_adversarial_0123"

    let process: Process
    let baseURL: String
    let port: Int
    let directory: URL
    private let errors: LogBuffer

    final class LogBuffer: Sendable {
        let text = Mutex("")
    }

    private init(process: Process, baseURL: String, port: Int, directory: URL, errors: LogBuffer) {
        self.process = process
        self.baseURL = baseURL
        self.port = port
        self.directory = directory
        self.errors = errors
    }

    /// Standard error so far.
    var standardError: String { errors.text.withLock { $0 } }

    /// Starts `refonte sandbox` on a free port with a fresh database and `SandboxProcess.key`,
    /// plus `arguments`. `openFiles` runs it under that `ulimit -n`, as on a default machine.
    static func start(_ arguments: [String] = [], openFiles: Int? = nil) async throws -> SandboxProcess {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "refonte-adversarial-\(UUID().uuidString)"
        )
        let binary = try CrashRecoveryTests.binary().path
        let all =
            [
                "sandbox", "--port", "0", "--db", directory.appendingPathComponent("s.sqlite").path,
                "--api-key", key, "--log-level", "warning",
            ] + arguments
        let process = Process()
        if let openFiles {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(openFiles) && exec \"$0\" \"$@\"", binary] + all
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = all
        }
        let output = Pipe()
        let errorPipe = Pipe()
        process.standardOutput = output
        process.standardError = errorPipe
        let errors = LogBuffer()
        errorPipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if !data.isEmpty { errors.text.withLock { $0 += String(decoding: data, as: UTF8.self) } }
        }
        try await ChildProcesses.shared.launch(process)
        let base = try await announcedBaseURL(on: output.fileHandleForReading)
        let port = Int(base.split(separator: ":").last!.split(separator: "/").first!)!
        return SandboxProcess(
            process: process,
            baseURL: base,
            port: port,
            directory: directory,
            errors: errors
        )
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// A line of /proc/PID/status in bytes: `VmRSS` now, `VmHWM` at its peak.
    func memory(_ field: String) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            let digits = line.dropFirst(field.count + 1).filter(\.isNumber)
            if let kilobytes = Int(digits) { return kilobytes * 1024 }
        }
        throw NoSuchField(field: field)
    }

    /// How many sockets the server holds (its listener included).
    func openSockets() throws -> Int {
        let folder = "/proc/\(process.processIdentifier)/fd"
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { entry in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + entry))?.hasPrefix(
                "socket:"
            ) == true
        }.count
    }

    struct NoSuchField: Error {
        var field: String
    }

    /// Waits until standard error holds `text`, up to `timeout`.
    func waitForLog(_ text: String, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if standardError.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return standardError.contains(text)
    }

    static var authorization: String { "Basic " + Data("\(key):".utf8).base64EncodedString() }
}
