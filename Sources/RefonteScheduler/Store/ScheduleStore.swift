import Foundation

/// A scheduler instance, as the store knows it: who holds which runs, and until when.
public struct InstanceRecord: Sendable, Hashable {
    /// `host/pid/random`: unique across hosts and restarts.
    public var id: String
    public var host: String
    public var pid: Int32
    /// When the process started, in the kernel's clock ticks since boot (Linux), to tell a live
    /// process from a later one that reused its pid.
    public var processStart: Int64?
    public var leaseUntil: Date

    public init(id: String, host: String, pid: Int32, processStart: Int64?, leaseUntil: Date) {
        self.id = id
        self.host = host
        self.pid = pid
        self.processStart = processStart
        self.leaseUntil = leaseUntil
    }
}

/// A run a scheduler has just claimed and must now start.
public struct ClaimedRun: Sendable, Hashable {
    public var run: RunRecord
    public var invocation: RunInvocation
}

/// What a renewal of an instance's lease found.
public struct LeaseState: Sendable {
    /// False when another instance declared this one dead and took its runs over.
    public var registered: Bool
    /// The runs this instance still holds as running.
    public var running: Set<Int64>
    /// Runs this instance holds that another scheduler asked to cut short (overlap replace).
    public var cancelRequests: [Int64: String]
}

/// How a run ended, for `ScheduleStore.finish`.
public struct RunOutcome: Sendable, Hashable {
    public var status: RunStatus
    public var reason: String?
    public var exitCode: Int32?
    public var calls: Int?
    public var writes: Int?

    public init(
        status: RunStatus,
        reason: String? = nil,
        exitCode: Int32? = nil,
        calls: Int? = nil,
        writes: Int? = nil
    ) {
        self.status = status
        self.reason = reason
        self.exitCode = exitCode
        self.calls = calls
        self.writes = writes
    }
}

/// Schedules and their run history: SQLite on one machine, PostgreSQL for several.
///
/// Every decision that several schedulers could race on is made inside one transaction:
/// `tick` holds the schedule's row while it decides which fires run (PostgreSQL: `FOR UPDATE
/// SKIP LOCKED`, so another instance moves on), a run's identity (schedule, fire time) is a
/// unique key, and a run belongs to the instance that claimed it for as long as that instance
/// renews its lease.
public protocol ScheduleStore: Sendable {
    /// Where the store is, for messages (never a password).
    var location: String { get }
    /// A random id made when the store was created; names its folder of run output.
    var storeID: String { get }

    // MARK: Schedules

    /// Adds a schedule whose fires count from `schedule.createdAt`; fails if the name is taken.
    func add(_ schedule: Schedule) async throws
    func schedule(named name: String) async throws -> Schedule?
    /// Every schedule, by name, with the time up to which its fires have been dealt with.
    func schedules() async throws -> [(schedule: Schedule, cursor: Date)]
    /// Pauses or resumes; a resumed schedule's fires count from `now` (no catch-up of a pause).
    /// Returns false when there is no such schedule.
    func setPaused(_ name: String, _ paused: Bool, now: Date) async throws -> Bool
    /// Removes the schedule and its history; false when there is no such schedule.
    func remove(_ name: String) async throws -> Bool

    // MARK: Runs

    /// Queues a manual run (`schedule run-now`); nil when there is no such schedule.
    func enqueueManualRun(_ name: String, now: Date) async throws -> Int64?
    /// The newest runs of a schedule first.
    func runs(of name: String, limit: Int) async throws -> [RunRecord]
    func run(id: Int64) async throws -> RunRecord?

    // MARK: Scheduler instances

    func register(_ instance: InstanceRecord) async throws
    func renew(_ instanceID: String, until: Date) async throws -> LeaseState
    /// Lets go of queued runs (another instance may take them) and forgets the instance.
    func deregister(_ instanceID: String) async throws
    /// Instances whose lease ran out, or that `isDead` says are gone: their running runs become
    /// `interrupted` (returned), their queued runs free for any instance.
    func recover(
        now: Date,
        excluding instanceID: String,
        isDead: @escaping @Sendable (InstanceRecord) -> Bool
    ) async throws -> [RunRecord]

    // MARK: The scheduler's work

    /// Decides the schedule's fires up to `now` with `TickPlanner` and records the decision;
    /// nil when another instance is deciding for this schedule right now, or it is gone.
    func tick(_ name: String, now: Date, instance: String, keepRuns: Int) async throws -> TickPlanner.Plan?
    /// Claims the queued runs that may start now (`StartRule`) and marks them running.
    func claimStartable(instance: InstanceRecord, now: Date) async throws -> [ClaimedRun]
    /// Records the child process, when it started (the run's start time from then on), and
    /// where its output goes.
    func markStarted(
        _ runID: Int64,
        instance: String,
        pid: Int32,
        processStart: Int64?,
        outputDirectory: String,
        at: Date
    ) async throws
    /// Records how a run ended; false when the run is no longer this instance's (taken over).
    func finish(_ runID: Int64, instance: String, outcome: RunOutcome, now: Date) async throws -> Bool
    /// Deletes the oldest finished runs of a schedule beyond `keep`; returns them.
    func prune(_ name: String, keep: Int) async throws -> [RunRecord]
    /// The ids of all runs of a schedule (to clean up output folders of runs no longer kept).
    func runIDs(of name: String) async throws -> Set<Int64>

    func close() async
}
