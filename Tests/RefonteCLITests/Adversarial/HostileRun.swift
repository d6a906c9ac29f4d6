import Foundation
import TestHelpers

/// Runs the built `refonte` binary on a hostile script, as an attacker would, and measures what
/// the jail promises: the exit code, how long the run took, the child's own peak RSS, and what
/// it wrote to standard error.
struct HostileRun: Sendable {
    var status: Int32
    var seconds: Double
    /// CPU time the child used (user and system, all threads). A jail that lets a loop run on
    /// shows here whatever else the machine is doing; wall-clock time would also count the
    /// time the child waited for a core.
    var cpuSeconds: Double
    /// VmHWM of the child, read from /proc while it runs (a spawned child's `ru_maxrss` would
    /// start from this large test process's RSS).
    var peakMB: Int
    var standardOutput: String
    var standardError: String
    /// The run outlived `hardLimit` and was killed by the test.
    var killed: Bool

    /// Runs `refonte` with `arguments` in `folder`, with a clean environment of its own (no API
    /// key unless `environment` adds one; HOME and the XDG folders inside `folder`).
    static func run(
        _ arguments: [String],
        in folder: URL,
        environment extra: [String: String] = [:],
        hardLimit: Double = 30
    ) async throws -> HostileRun {
        var environment = ProcessInfo.processInfo.environment
        for name in ["REFONTE_API_KEY", "REFONTE_PROFILE", "REFONTE_BASE_URL", "REFONTE_LOG_LEVEL"] {
            environment[name] = nil
        }
        environment["HOME"] = folder.appendingPathComponent("home").path
        environment["XDG_CONFIG_HOME"] = folder.appendingPathComponent("home/.config").path
        environment["XDG_DATA_HOME"] = folder.appendingPathComponent("home/.local/share").path
        environment.merge(extra) { _, new in new }

        let outPath = folder.appendingPathComponent(".out-\(UUID().uuidString)").path
        let errPath = folder.appendingPathComponent(".err-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        let process = Process()
        process.executableURL = RunCLI.binary
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = folder
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        return try await ChildProcesses.shared.runToEnd(process) { process in
            watch(process, hardLimit: hardLimit, outPath: outPath, errPath: errPath)
        }
    }

    private static func watch(
        _ process: Process,
        hardLimit: Double,
        outPath: String,
        errPath: String
    ) -> HostileRun {
        // From just after the launch: the child may have waited for a slot before it.
        let start = ContinuousClock.now
        let pid = process.processIdentifier
        var peakKB = 0
        var cpuSeconds = 0.0
        var killed = false
        while process.isRunning {
            peakKB = max(peakKB, RunCLI.highWaterKB(of: pid))
            cpuSeconds = max(cpuSeconds, RunCLI.cpuSeconds(of: pid))
            if !killed, (ContinuousClock.now - start) > .seconds(hardLimit) {
                kill(pid, SIGKILL)
                killed = true
            }
            usleep(2000)
        }
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - start
        let (whole, fraction) = elapsed.components
        return HostileRun(
            status: process.terminationStatus,
            seconds: Double(whole) + Double(fraction) / 1e18,
            cpuSeconds: cpuSeconds,
            peakMB: peakKB / 1024,
            standardOutput: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "",
            killed: killed
        )
    }
}

/// A folder of its own for one attack: `granted/` (what the script is given), `outside/`
/// (what it must not reach), `home/` (HOME and the XDG folders).
struct AttackFolder {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "refonte-attack-\(UUID().uuidString)"
        )
        for name in ["granted", "outside", "home/.config/refonte", "home/.local/share"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(name),
                withIntermediateDirectories: true
            )
        }
    }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    func write(_ relative: String, _ text: String, mode: Int = 0o644) throws {
        try text.write(toFile: path(relative), atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path(relative))
    }

    func link(_ relative: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path(relative), withDestinationPath: destination)
    }

    /// Every file under `outside/` (it must stay empty unless the test put something there).
    var outsideFiles: [String] {
        (try? FileManager.default.subpathsOfDirectory(atPath: path("outside"))) ?? []
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}
