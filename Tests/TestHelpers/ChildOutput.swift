import Foundation

/// How a child process that ran to its end went: its exit status, what it wrote, and how long
/// it ran from its launch (not counting a wait for a slot before it).
public struct ChildOutput: Sendable {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String
    public var seconds: Double

    public init(status: Int32, standardOutput: String, standardError: String, seconds: Double = 0) {
        self.status = status
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.seconds = seconds
    }

    /// Reads a started process's output pipes to their end, then waits for it (blocking: call
    /// it off the pool). Both pipes are read before the wait, so a full pipe cannot stall it.
    public static func collect(_ process: Process, launched: ContinuousClock.Instant = .now) -> ChildOutput {
        let outData = (process.standardOutput as? Pipe)?.fileHandleForReading.readDataToEndOfFile() ?? Data()
        let errData = (process.standardError as? Pipe)?.fileHandleForReading.readDataToEndOfFile() ?? Data()
        process.waitUntilExit()
        let (whole, fraction) = (ContinuousClock.now - launched).components
        return ChildOutput(
            status: process.terminationStatus,
            standardOutput: String(decoding: outData, as: UTF8.self),
            standardError: String(decoding: errData, as: UTF8.self),
            seconds: Double(whole) + Double(fraction) / 1e18
        )
    }
}

extension ChildProcesses {
    /// Runs `process` to its end in a slot, with pipes for its output (and `input` on its
    /// standard input, closed after), and returns what it wrote.
    public func runCollecting(_ process: Process, input: String? = nil) async throws -> ChildOutput {
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        let stdin = input.map { _ in Pipe() }
        if let stdin { process.standardInput = stdin }
        return try await runToEnd(process) { process in
            let launched = ContinuousClock.now
            if let stdin, let input {
                stdin.fileHandleForWriting.write(Data(input.utf8))
                try stdin.fileHandleForWriting.close()
            }
            return ChildOutput.collect(process, launched: launched)
        }
    }
}
