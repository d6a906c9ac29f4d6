import Foundation

/// Where a run stands. `queued` and `running` are active; the rest are final.
public enum RunStatus: String, CaseIterable, Sendable, Hashable {
    /// Due and claimed, waiting for its overlap policy to let it start.
    case queued
    case running
    /// The script finished (exit 0).
    case succeeded
    /// `refonte run` exited non-zero (1 script error, 2 usage, 3 limit), or could not start.
    case failed
    /// Cut short: the scheduler stopped, a newer fire replaced it, or its scheduler died.
    case interrupted
    /// Not run because an earlier run was still going (overlap `forbid`), or replaced before
    /// it started.
    case skipped
    /// Came due while no scheduler was running, and the catch-up policy did not run it.
    case missed

    public var isActive: Bool { self == .queued || self == .running }
}

/// Why a run exists.
public enum RunTrigger: String, CaseIterable, Sendable, Hashable {
    /// A fire time, on time.
    case schedule
    /// A missed fire time, run late by the catch-up policy.
    case catchUp = "catch-up"
    /// `refonte schedule run-now`.
    case manual
}

/// One run in a schedule's history. Its identity within the schedule is its nominal fire time
/// (for `schedule` and `catch-up` runs), which the store keeps unique so a fire never runs twice.
public struct RunRecord: Sendable, Hashable {
    public var id: Int64
    public var schedule: String
    public var trigger: RunTrigger
    /// The fire time it stands for; for a manual run, when it was asked for.
    public var nominalTime: Date
    public var status: RunStatus
    /// Why it was skipped, missed, interrupted, or failed to start.
    public var reason: String?
    /// The scheduler instance that claimed it.
    public var holder: String?
    /// The host it ran on, and the child process.
    public var host: String?
    public var pid: Int32?
    /// The child's start time in clock ticks since boot (Linux), to tell it from a later
    /// process that reused its pid.
    public var processStart: Int64?
    public var startedAt: Date?
    public var finishedAt: Date?
    public var exitCode: Int32?
    /// API calls the script made, and how many of them were writes (from `refonte run`'s summary).
    public var calls: Int?
    public var writes: Int?
    /// Where its standard output and error are kept (on `host`).
    public var outputDirectory: String?
    /// The words after `refonte run`, as they were when the run was created.
    public var arguments: [String]

    public init(
        id: Int64,
        schedule: String,
        trigger: RunTrigger,
        nominalTime: Date,
        status: RunStatus,
        reason: String? = nil,
        holder: String? = nil,
        host: String? = nil,
        pid: Int32? = nil,
        processStart: Int64? = nil,
        startedAt: Date? = nil,
        finishedAt: Date? = nil,
        exitCode: Int32? = nil,
        calls: Int? = nil,
        writes: Int? = nil,
        outputDirectory: String? = nil,
        arguments: [String] = []
    ) {
        self.id = id
        self.schedule = schedule
        self.trigger = trigger
        self.nominalTime = nominalTime
        self.status = status
        self.reason = reason
        self.holder = holder
        self.host = host
        self.pid = pid
        self.processStart = processStart
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.exitCode = exitCode
        self.calls = calls
        self.writes = writes
        self.outputDirectory = outputDirectory
        self.arguments = arguments
    }

    /// How long it ran, once it has finished.
    public var duration: Duration? {
        guard let startedAt, let finishedAt else { return nil }
        return .milliseconds(Int64((finishedAt.timeIntervalSince(startedAt) * 1000).rounded()))
    }
}
