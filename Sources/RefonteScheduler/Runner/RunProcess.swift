import Foundation
import Subprocess
import SystemPackage

/// Starts one run as a child `refonte run`, its standard output and error going to files, and
/// waits for it to end, or stops it (SIGTERM, then SIGKILL after `stopGrace`) when asked.
struct RunProcess: Sendable {
    /// The `refonte` binary.
    var executable: String
    /// Variables added to the scheduler's own environment for every run.
    var environment: [String: String]
    /// How long a run asked to stop gets between SIGTERM and SIGKILL.
    var stopGrace: Duration

    enum Ending: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        case couldNotStart(String)
        /// Stopped on request, and the child's status was not reported.
        case stopped
    }

    struct Files: Sendable {
        var standardOutput: String
        var standardError: String
        var summary: String
    }

    /// Runs `refonte run --summary-out FILES.summary ARGUMENTS…`. `started` gets the child's pid
    /// once it runs. Returns how it ended, and the reason if `stop` cut it short.
    func run(
        _ invocation: RunInvocation,
        files: Files,
        variables: [String: String],
        stop: StopSwitch,
        started: @escaping @Sendable (Int32) async -> Void
    ) async -> (Ending, stoppedBecause: String?) {
        let output: FileDescriptor
        let error: FileDescriptor
        do {
            output = try Self.create(files.standardOutput)
            do {
                error = try Self.create(files.standardError)
            } catch {
                try? output.close()
                throw error
            }
        } catch {
            return (.couldNotStart("cannot create its output files: \(error)"), nil)
        }
        var overrides: [Environment.Key: String?] = [:]
        for (name, value) in environment.merging(variables, uniquingKeysWith: { $1 }) {
            if let key = Environment.Key(rawValue: name) { overrides[key] = value }
        }
        var options = PlatformOptions()
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: stopGrace)]
        let arguments = ["run", "--summary-out", files.summary] + invocation.arguments
        let executable = executable
        let workingDirectory = invocation.workingDirectory
        let configuration = Configuration(
            executable: .path(FilePath(executable)),
            arguments: Arguments(arguments),
            environment: .inherit.updating(overrides),
            workingDirectory: FilePath(workingDirectory),
            platformOptions: options
        )

        enum Event: Sendable {
            case ended(Ending)
            case stopRequested(String)
        }
        return await withTaskGroup(of: Event?.self) { group in
            group.addTask {
                do {
                    let result = try await Subprocess.run(
                        configuration,
                        input: .none,
                        output: .fileDescriptor(output, closeAfterSpawningProcess: true),
                        error: .fileDescriptor(error, closeAfterSpawningProcess: true)
                    ) { execution in
                        await started(execution.processIdentifier.value)
                    }
                    switch result.terminationStatus {
                    case .exited(let code): return .ended(.exited(code))
                    case .signaled(let signal): return .ended(.signalled(signal))
                    }
                } catch {
                    if stop.reason != nil { return .ended(.stopped) }
                    return .ended(
                        .couldNotStart("cannot start \(executable) in \(workingDirectory): \(error)")
                    )
                }
            }
            group.addTask {
                guard let reason = try? await stop.wait() else { return nil }
                return .stopRequested(reason)
            }
            var stoppedBecause: String?
            while let event = await group.next() {
                switch event {
                case .stopRequested(let reason):
                    // Cancelling the child's task runs its teardown: SIGTERM, then SIGKILL.
                    stoppedBecause = reason
                    group.cancelAll()
                case .ended(let ending):
                    group.cancelAll()
                    return (ending, stoppedBecause)
                case nil:
                    continue
                }
            }
            return (.couldNotStart("the run ended without a status"), stoppedBecause)
        }
    }

    private static func create(_ path: String) throws -> FileDescriptor {
        try FileDescriptor.open(
            FilePath(path),
            .writeOnly,
            options: [.create, .truncate],
            permissions: [.ownerReadWrite]
        )
    }
}
