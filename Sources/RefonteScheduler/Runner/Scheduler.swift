import Foundation
import Logging
import Quantities
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `refonte scheduler`: runs every schedule of a store as its fires come due, each run a child
/// `refonte run`, until a graceful shutdown (SIGTERM) or cancellation.
///
/// Several instances may share a store (PostgreSQL across hosts): each fire is claimed by one
/// of them, and an instance that stops renewing its lease has its running runs recorded
/// `interrupted` by the others, which carry on with the schedules.
public final class Scheduler: Service, Sendable {
    let store: any ScheduleStore
    let clock: any SchedulerClock
    let configuration: SchedulerConfiguration
    let logger: Logger
    let process: RunProcess
    let folders: RunOutputFolders
    let wakeup = Wakeup()

    private struct State {
        var stopping = false
        /// This instance's runs in progress.
        var running: [Int64: StopSwitch] = [:]
    }

    private let state = Mutex(State())

    public init(
        store: any ScheduleStore,
        clock: any SchedulerClock = SystemClock(),
        configuration: SchedulerConfiguration,
        logger: Logger
    ) {
        self.store = store
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
        process = RunProcess(
            executable: configuration.executable,
            environment: configuration.environment,
            stopGrace: configuration.stopGrace
        )
        folders = RunOutputFolders(root: configuration.runsDirectory, storeID: store.storeID)
    }

    var identity: InstanceIdentity { configuration.identity }

    /// Runs until a graceful shutdown: then starts nothing new, lets running runs go on for the
    /// grace period, stops the rest (recorded `interrupted`) and lets go of queued runs.
    public func run() async throws {
        try await store.register(identity.record(leaseUntil: clock.now().adding(configuration.lease)))
        LiveInstances.insert(identity.id)
        defer { LiveInstances.remove(identity.id) }
        logger.info(
            "scheduler started",
            metadata: [
                "store": "\(store.location)", "instance": "\(identity.id)",
                "runs": "\(configuration.runsDirectory)",
            ]
        )
        await recoverDeadInstances(now: clock.now())
        await sweepRemovedSchedules()
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                await self.loop(&group)
                await self.stopRunning()
            }
        } onGracefulShutdown: {
            self.beginStopping()
        }
        await uncancelled { [store, identity] in try? await store.deregister(identity.id) }
        logger.info("scheduler stopped", metadata: ["instance": "\(identity.id)"])
    }

    func beginStopping() {
        state.withLock { $0.stopping = true }
        wakeup.poke()
    }

    private var isStopping: Bool { state.withLock { $0.stopping } || Task.isCancelled }

    // MARK: - The loop

    private func loop(_ group: inout DiscardingTaskGroup) async {
        var nextHousekeeping = clock.now()
        while !isStopping {
            var now = clock.now()
            if now >= nextHousekeeping {
                await housekeeping(now: now)
                nextHousekeeping = now.adding(configuration.poll)
            }
            var wake = nextHousekeeping
            do {
                let (nextFire, cancelled) = try await tickDueSchedules(now: now)
                if let nextFire { wake = min(wake, nextFire) }
                if cancelled {
                    // A replaced run of this instance stops now, not at the next poll.
                    now = clock.now()
                    await housekeeping(now: now)
                }
                if !isStopping {
                    for claimed in try await store.claimStartable(
                        instance: identity.record(leaseUntil: now),
                        now: now
                    ) {
                        launch(claimed, in: &group)
                    }
                }
            } catch {
                logger.error("the schedule store failed; trying again", metadata: ["error": "\(error)"])
            }
            if isStopping { break }
            await wakeup.wait(until: wake, on: clock)
        }
    }

    /// Ticks every schedule with a fire due; returns the earliest fire still to come, and
    /// whether a tick asked for a running run to be cut short.
    private func tickDueSchedules(now: Date) async throws -> (Date?, Bool) {
        var nextFire: Date?
        var cancelled = false
        for (schedule, cursor) in try await store.schedules() where !schedule.paused {
            let cron = schedule.cron
            if let due = cron.next(after: cursor), due.instant <= now {
                if let plan = try await store.tick(
                    schedule.name,
                    now: now,
                    instance: identity.id,
                    keepRuns: configuration.keepRuns
                ) {
                    report(plan, of: schedule)
                    cancelled = cancelled || !plan.cancel.isEmpty
                }
            }
            if let next = cron.next(after: now)?.instant { nextFire = min(nextFire ?? next, next) }
        }
        return (nextFire, cancelled)
    }

    private func report(_ plan: TickPlanner.Plan, of schedule: Schedule) {
        for run in plan.newRuns {
            let metadata: Logger.Metadata = [
                "schedule": "\(schedule.name)", "fire": "\(TimeText.iso(run.nominalTime))",
                "trigger": "\(run.trigger.rawValue)",
            ]
            switch run.status {
            case .skipped: logger.warning("fire skipped: \(run.reason ?? "")", metadata: metadata)
            case .missed: logger.warning("fire missed: \(run.reason ?? "")", metadata: metadata)
            default: logger.debug("fire due", metadata: metadata)
            }
        }
        for (id, reason) in plan.cancel {
            logger.info(
                "cutting a run short: \(reason)",
                metadata: ["schedule": "\(schedule.name)", "run": "\(id)"]
            )
        }
        if plan.unrecordedMissed {
            logger.warning(
                "some missed fires were not recorded: older than the look-back, or more than --keep-runs",
                metadata: ["schedule": "\(schedule.name)"]
            )
        }
    }

    // MARK: - Leases

    /// Renews this instance's lease, stops runs it no longer holds or was asked to cut short,
    /// and takes over from dead instances.
    private func housekeeping(now: Date) async {
        do {
            let lease = try await store.renew(identity.id, until: now.adding(configuration.lease))
            if !lease.registered {
                logger.error(
                    "another scheduler declared this one dead (its lease ran out) and took its runs over; registering again",
                    metadata: ["instance": "\(identity.id)"]
                )
                try await store.register(identity.record(leaseUntil: now.adding(configuration.lease)))
            }
            let local = state.withLock { $0.running }
            for (id, stop) in local {
                if let reason = lease.cancelRequests[id] {
                    stop.stop(reason)
                } else if !lease.running.contains(id) {
                    stop.stop("another scheduler took this run over, or its schedule was removed")
                }
            }
        } catch {
            logger.error("cannot renew this scheduler's lease", metadata: ["error": "\(error)"])
        }
        await recoverDeadInstances(now: now)
    }

    private func recoverDeadInstances(now: Date) async {
        let identity = identity
        do {
            let interrupted = try await store.recover(
                now: now,
                excluding: identity.id,
                isDead: { identity.knowsDead($0) }
            )
            for run in interrupted {
                logger.warning(
                    "run recorded interrupted: \(run.reason ?? "its scheduler died")",
                    metadata: ["schedule": "\(run.schedule)", "run": "\(run.id)"]
                )
                stopOrphan(run)
            }
        } catch {
            logger.error("cannot look for dead schedulers", metadata: ["error": "\(error)"])
        }
    }

    /// A dead instance's child on this host may still run: stop it (SIGTERM, then SIGKILL),
    /// unless its pid now belongs to another process.
    private func stopOrphan(_ run: RunRecord) {
        guard run.host == identity.host, let pid = run.pid,
            ProcessProbe.isRunning(pid: pid, startTicks: run.processStart), run.processStart != nil
        else { return }
        logger.warning(
            "stopping the run's orphaned process",
            metadata: ["run": "\(run.id)", "pid": "\(pid)"]
        )
        kill(pid, SIGTERM)
        let grace = configuration.stopGrace
        Task {
            try? await Task.sleep(for: grace)
            if ProcessProbe.isRunning(pid: pid, startTicks: run.processStart) { kill(pid, SIGKILL) }
        }
    }

    // MARK: - Runs

    private func launch(_ claimed: ClaimedRun, in group: inout DiscardingTaskGroup) {
        let stop = StopSwitch()
        state.withLock { $0.running[claimed.run.id] = stop }
        group.addTask { await self.execute(claimed, stop: stop) }
    }

    private func execute(_ claimed: ClaimedRun, stop: StopSwitch) async {
        let run = claimed.run
        let metadata: Logger.Metadata = ["schedule": "\(run.schedule)", "run": "\(run.id)"]
        logger.info("run started", metadata: metadata.merging(["trigger": "\(run.trigger.rawValue)"]) { $1 })
        let files = folders.files(schedule: run.schedule, run: run.id)
        let outputFolder = folders.folder(schedule: run.schedule, run: run.id)
        let (ending, stoppedBecause): (RunProcess.Ending, String?)
        do {
            try folders.create(schedule: run.schedule, run: run.id)
            let variables = [
                "REFONTE_SCHEDULE": run.schedule,
                "REFONTE_RUN_ID": String(run.id),
                "REFONTE_RUN_TRIGGER": run.trigger.rawValue,
                "REFONTE_FIRE_TIME": TimeText.iso(run.nominalTime),
            ]
            let store = store
            let clock = clock
            let instance = identity.id
            (ending, stoppedBecause) = await process.run(
                claimed.invocation,
                files: files,
                variables: variables,
                stop: stop
            ) { pid in
                try? await store.markStarted(
                    run.id,
                    instance: instance,
                    pid: pid,
                    processStart: ProcessProbe.startTicks(of: pid),
                    outputDirectory: outputFolder,
                    at: clock.now()
                )
            }
        } catch {
            (ending, stoppedBecause) = (.couldNotStart("\(error)"), nil)
        }
        var outcome = RunOutcome(
            ending,
            stoppedBecause: stoppedBecause,
            summary: RunSummary.read(files.summary)
        )
        if Task.isCancelled, outcome.status != .interrupted {
            outcome.status = .interrupted
            outcome.reason = "the scheduler was cancelled before the run finished"
        }
        let finishedAt = clock.now()
        let final = outcome
        let recorded = await uncancelled { [store, identity] in
            (try? await store.finish(run.id, instance: identity.id, outcome: final, now: finishedAt)) ?? false
        }
        state.withLock { _ = $0.running.removeValue(forKey: run.id) }
        if recorded {
            logger.info(
                "run ended: \(final.status.rawValue)\(final.reason.map { ": \($0)" } ?? "")",
                metadata: metadata.merging(["exit": "\(final.exitCode.map(String.init) ?? "-")"]) { $1 }
            )
        } else {
            logger.warning("run ended, but it is no longer this scheduler's to record", metadata: metadata)
        }
        await uncancelled { await self.applyRetention(schedule: run.schedule) }
        wakeup.poke()
    }

    /// Deletes the oldest finished runs beyond `keepRuns` and their output on this host.
    private func applyRetention(schedule: String) async {
        do {
            for run in try await store.prune(schedule, keep: configuration.keepRuns)
            where run.host == identity.host {
                folders.removeRun(schedule: schedule, run: run.id)
            }
            // Runs another host pruned may have left folders here.
            let listed = folders.runFolders(schedule: schedule)
            let known = try await store.runIDs(of: schedule)
            for id in listed where !known.contains(id) { folders.removeRun(schedule: schedule, run: id) }
        } catch {
            logger.error(
                "cannot apply --keep-runs",
                metadata: ["schedule": "\(schedule)", "error": "\(error)"]
            )
        }
    }

    private func sweepRemovedSchedules() async {
        let listed = folders.scheduleFolders()
        guard !listed.isEmpty, let names = try? await store.schedules().map(\.schedule.name) else { return }
        for name in listed where !names.contains(name) { folders.removeSchedule(name) }
        for name in names { await applyRetention(schedule: name) }
    }

    // MARK: - Shutdown

    /// Waits up to the grace period for running runs, renewing the lease meanwhile, then stops
    /// the rest.
    private func stopRunning() async {
        let deadline = clock.now().adding(configuration.grace)
        var count = state.withLock { $0.running.count }
        if count > 0 {
            logger.info(
                "waiting for running runs to finish",
                metadata: ["runs": "\(count)", "grace": "\(DurationText.format(configuration.grace))"]
            )
        }
        while count > 0, !Task.isCancelled {
            let now = clock.now()
            if now >= deadline { break }
            _ = try? await store.renew(identity.id, until: now.adding(configuration.lease))
            await wakeup.wait(until: min(deadline, now.adding(configuration.poll)), on: clock)
            count = state.withLock { $0.running.count }
        }
        let reason =
            "the scheduler stopped before the run finished (grace period \(DurationText.format(configuration.grace)))"
        for stop in state.withLock({ Array($0.running.values) }) { stop.stop(reason) }
    }
}

extension Date {
    func adding(_ duration: Duration) -> Date { addingTimeInterval(duration.seconds) }
}

/// Runs `body` in a task of its own, so that it completes even when the caller is cancelled
/// (recording how a run ended must not be lost to a shutdown).
func uncancelled<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
    await Task { await body() }.value
}
