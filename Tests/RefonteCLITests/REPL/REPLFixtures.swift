import Foundation
import TestHelpers

#if canImport(Glibc)
import Glibc
#endif

/// A folder of its own for one REPL test: HOME, the XDG folders (no API key, no config), the
/// history, the embedded sandbox's data.
struct REPLHome {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "refonte-repl-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    var historyPath: String { folder.appendingPathComponent("state/refonte/repl_history").path }

    /// The environment of a fresh machine with no configuration, at a terminal.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in [
            "REFONTE_API_KEY", "REFONTE_PROFILE", "REFONTE_BASE_URL", "REFONTE_LOG_LEVEL", "NO_COLOR",
            "COLUMNS",
        ] {
            environment[name] = nil
        }
        environment["HOME"] = folder.path
        environment["XDG_DATA_HOME"] = folder.appendingPathComponent("data").path
        environment["XDG_CONFIG_HOME"] = folder.appendingPathComponent("config").path
        environment["XDG_STATE_HOME"] = folder.appendingPathComponent("state").path
        environment["TERM"] = "xterm"
        environment.merge(extra) { _, new in new }
        return environment
    }
}

/// `refonte sandbox` in a process of its own, for a test that needs a sandbox the REPL does
/// not own (one with injected faults, say).
final class SandboxProcess {
    static let apiKey = "test_repl_leakcanary_0123456789"
    let process: Process
    let baseURL: String
    private let folder: URL

    private init(process: Process, baseURL: String, folder: URL) {
        self.process = process
        self.baseURL = baseURL
        self.folder = folder
    }

    /// Starts the sandbox and waits (off the test thread) until it says where it listens.
    static func start(faults: String) async throws -> SandboxProcess {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "refonte-sbx-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let log = folder.appendingPathComponent("out.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = RunCLI.binary
        process.arguments = [
            "sandbox", "--port", "0", "--db", folder.appendingPathComponent("db.sqlite").path, "--seed",
            "demo",
            "--api-key", Self.apiKey, "--faults", faults, "--log-level", "error",
        ]
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = FileHandle.nullDevice
        try await ChildProcesses.shared.launch(process)
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("listening on ") }),
                let url = line.split(separator: " ").last
            {
                return SandboxProcess(process: process, baseURL: String(url), folder: folder)
            }
            guard process.isRunning, ContinuousClock.now < deadline else {
                process.terminate()
                throw CocoaError(
                    .fileReadUnknown,
                    userInfo: [NSLocalizedDescriptionKey: "sandbox did not start: \(text)"]
                )
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    deinit {
        if process.isRunning {
            // Not a graceful stop: that would wait out the answers the faults still hold back.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }
}
