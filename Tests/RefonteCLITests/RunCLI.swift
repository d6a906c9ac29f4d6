import Foundation
import TestHelpers

/// Runs the built `refonte` binary as a user would, for the `run` command's tests.
struct RunCLI {
    typealias Output = ChildOutput

    /// The `refonte` binary beside the test bundle in the build folder.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "refonte"
        )
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    static func run(
        _ arguments: [String],
        input: String? = nil,
        in folder: URL? = nil,
        environment: [String: String]? = nil,
        executable: String? = nil
    ) async throws -> Output {
        let process = Process()
        process.executableURL = executable.map { URL(fileURLWithPath: $0) } ?? binary
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.currentDirectoryURL = folder ?? repositoryRoot
        // Standard input is always a pipe, closed after `input`: a script that reads it ends.
        return try await ChildProcesses.shared.runCollecting(process, input: input ?? "")
    }

    /// Runs the binary and returns its exit status, standard error and its own peak RSS in KB.
    /// `wait4` reports the usage of that one child, whatever other tests run meanwhile.
    static func runMeasuringPeakMemory(_ arguments: [String]) async throws -> (Output, peakKB: Int) {
        try await ChildProcesses.shared.inSlot { try measuringPeakMemory(arguments) }
    }

    private static func measuringPeakMemory(_ arguments: [String]) throws -> (Output, peakKB: Int) {
        #if os(Linux)
        let errorPath = NSTemporaryDirectory() + "refonte-rss-\(UUID().uuidString).err"
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        SpawnActions.closeInherited(&actions)
        let argv = ([binary.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, binary.path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw CocoaError(.executableLoad) }
        // The peak is read from /proc while the child runs: `wait4`'s ru_maxrss would start
        // from this (large, parallel) test process's RSS, which a spawned child inherits.
        var status: Int32 = 0
        var peakKB = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            peakKB = max(peakKB, Self.highWaterKB(of: pid))
            usleep(1000)
        }
        let error = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        return (Output(status: (status >> 8) & 0xff, standardOutput: "", standardError: error), peakKB)
        #else
        fatalError("the peak RSS is read from /proc, which only Linux has")
        #endif
    }

    /// User and system CPU time of a running process, all its threads (0 once it has exited).
    static func cpuSeconds(of pid: pid_t) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let afterName = stat.range(of: ") ", options: .backwards)
        else { return 0 }
        // Fields after the name start at the state (field 3); utime and stime are 14 and 15.
        let fields = stat[afterName.upperBound...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            return 0
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// VmHWM of a running process, in KB (0 once it has exited).
    static func highWaterKB(of pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        return fields.count > 1 ? Int(fields[1]) ?? 0 : 0
    }
}
