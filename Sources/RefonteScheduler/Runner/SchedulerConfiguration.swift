import Foundation

/// How a scheduler instance runs (`refonte scheduler`'s options).
public struct SchedulerConfiguration: Sendable {
    /// The `refonte` binary every run is a child of.
    public var executable: String
    /// Where run output is kept on this host.
    public var runsDirectory: String
    /// Finished runs kept per schedule; older ones, and their output, are deleted.
    public var keepRuns: Int
    /// How long this instance's claim on its runs lasts without renewal. Another instance that
    /// finds it expired records the runs `interrupted` and carries on with the schedule.
    public var lease: Duration
    /// How often the instance renews its lease, looks for runs to start (`run-now`, runs freed
    /// by a dead instance) and for dead instances.
    public var poll: Duration
    /// On SIGTERM, how long running runs may go on before they are stopped.
    public var grace: Duration
    /// Between SIGTERM and SIGKILL for a run that is stopped.
    public var stopGrace: Duration
    /// Variables added to the scheduler's environment for every run.
    public var environment: [String: String]
    public var identity: InstanceIdentity

    public static let defaultKeepRuns = 100
    public static let defaultLease = Duration.seconds(30)
    public static let defaultPoll = Duration.seconds(5)
    public static let defaultGrace = Duration.seconds(30)

    public init(
        executable: String,
        runsDirectory: String,
        keepRuns: Int = SchedulerConfiguration.defaultKeepRuns,
        lease: Duration = SchedulerConfiguration.defaultLease,
        poll: Duration = SchedulerConfiguration.defaultPoll,
        grace: Duration = SchedulerConfiguration.defaultGrace,
        stopGrace: Duration = .seconds(5),
        environment: [String: String] = [:],
        identity: InstanceIdentity = .current()
    ) {
        self.executable = executable
        self.runsDirectory = runsDirectory
        self.keepRuns = keepRuns
        self.lease = lease
        self.poll = poll
        self.grace = grace
        self.stopGrace = stopGrace
        self.environment = environment
        self.identity = identity
    }
}
