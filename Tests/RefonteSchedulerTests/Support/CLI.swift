import Foundation
import TestHelpers

/// The built `refonte` binary, run as a user would, in an environment of its own: a temporary
/// XDG data and config folder, no API key, no store from the outside.
struct CLI: Sendable {
    typealias Output = ChildOutput

    let folder: String
    let environment: [String: String]

    init() throws {
        folder = NSTemporaryDirectory() + "refonte-schedule-cli-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        for name in [
            "REFONTE_API_KEY", "REFONTE_PROFILE", "REFONTE_BASE_URL", "REFONTE_SCHEDULER_STORE",
            "REFONTE_LOG_LEVEL",
        ] {
            environment.removeValue(forKey: name)
        }
        environment["XDG_DATA_HOME"] = folder + "/data"
        environment["XDG_CONFIG_HOME"] = folder + "/config"
        self.environment = environment
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }

    /// The default store of this environment.
    var storePath: String { folder + "/data/refonte/scheduler.sqlite" }

    func write(_ name: String, _ contents: String) throws -> String {
        let path = folder + "/" + name
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func run(_ arguments: [String]) async throws -> Output {
        try await ChildProcesses.shared.runCollecting(try prepare(arguments))
    }

    /// Waits, off the test's thread, for a process that `start` began: what it wrote to its
    /// pipes and how it ended.
    func finish(_ process: Process) async throws -> Output {
        try await offThePool { ChildOutput.collect(process) }
    }

    /// Waits for a process whose output goes elsewhere, off the test's thread.
    func waitForExit(_ process: Process) async throws {
        try await offThePool { process.waitUntilExit() }
    }

    /// Starts the binary with pipes for its output; the caller waits for it.
    func start(_ arguments: [String], standardError: Any? = nil) async throws -> Process {
        let process = try prepare(arguments, standardError: standardError)
        try await ChildProcesses.shared.launch(process)
        return process
    }

    private func prepare(_ arguments: [String], standardError: Any? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestBinary.refonte())
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = Pipe()
        process.standardError = standardError ?? Pipe()
        return process
    }
}
