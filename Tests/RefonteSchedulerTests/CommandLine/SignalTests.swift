import Foundation
import RefonteScheduler
import TestHelpers
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `refonte scheduler` as a process: SIGKILL mid-run and a restart, SIGTERM and its grace period.
@Suite("Scheduler signals")
struct SignalTests {
    static let slowScript = OverlapTests.slowScript

    /// Polls the store until a run of `name` satisfies `condition` (real time).
    static func waitForRun(
        _ store: any ScheduleStore,
        _ name: String,
        timeout: Duration = .seconds(30),
        _ what: String,
        _ condition: (RunRecord) -> Bool
    ) async throws -> RunRecord {
        let deadline = ContinuousClock.now + timeout
        while true {
            let runs = try await store.runs(of: name, limit: 100)
            if let run = runs.first(where: condition) { return run }
            if ContinuousClock.now > deadline { throw TimedOut(waitingFor: what, runs: runs) }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Whether `pid` runs: an orphan that was stopped may stay a zombie until init reaps it.
    static func runs(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }

    @Test func sigkillMidRunThenRestartRecordsItInterruptedAndTheNextFireGoesAhead() async throws {
        let cli = try CLI()
        defer { cli.remove() }
        let marker = try cli.write("marker", "")
        let script = try cli.write("slow.lua", Self.slowScript)
        let added = try await cli.run([
            "schedule", "add", "slow", "--cron", "* * * * *", "--script", script, "--allow-read", marker,
            "--timezone", "UTC", "--", marker,
        ])
        #expect(added.status == 0, "\(added.standardError)")
        let scheduler = ["scheduler", "--poll", "1s", "--lease", "3s", "--grace", "1s"]
        let first = try await cli.start(scheduler, standardError: FileHandle.nullDevice)
        let queued = try await cli.run(["schedule", "run-now", "slow"])
        #expect(queued.status == 0, "\(queued.standardError)")

        let store = try SQLiteScheduleStore(path: cli.storePath, logger: quietLogger)
        // A fire of the minute may have started first: whichever run is running is the victim.
        let victim = try await Self.waitForRun(store, "slow", "a run to start") {
            $0.status == .running && $0.pid != nil
        }
        let child = try #require(victim.pid)
        kill(first.processIdentifier, SIGKILL)
        try await cli.waitForExit(first)
        #expect(Self.runs(child), "the run's process outlives its scheduler")
        let killedAt = Date()

        let second = try await cli.start(scheduler, standardError: FileHandle.nullDevice)
        let interrupted = try await Self.waitForRun(store, "slow", "the run to be recorded interrupted") {
            $0.id == victim.id && $0.status == .interrupted
        }
        #expect(interrupted.reason?.contains("died before it finished") == true, "\(interrupted)")
        // The restarted scheduler stops the orphaned child.
        let deadline = ContinuousClock.now + .seconds(15)
        while kill(child, 0) == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(kill(child, 0) != 0, "the orphaned run was stopped")

        try FileManager.default.removeItem(atPath: marker)
        // The next fire of the minute runs, and is not skipped as overlapping the dead run.
        let next = try await Self.waitForRun(store, "slow", timeout: .seconds(90), "the next fire to succeed")
        {
            $0.trigger == .schedule && $0.nominalTime > killedAt && $0.status == .succeeded
        }
        #expect(next.holder != victim.holder)
        await store.close()
        kill(second.processIdentifier, SIGTERM)
        try await cli.waitForExit(second)
        #expect(second.terminationStatus == 0)
    }

    @Test func sigtermWaitsForTheGracePeriodThenRecordsTheRunInterrupted() async throws {
        let cli = try CLI()
        defer { cli.remove() }
        let marker = try cli.write("marker", "")
        let script = try cli.write("slow.lua", Self.slowScript)
        let added = try await cli.run([
            "schedule", "add", "slow", "--cron", "0 0 1 1 *", "--script", script, "--allow-read", marker,
            "--", marker,
        ])
        #expect(added.status == 0, "\(added.standardError)")
        let scheduler = try await cli.start(["scheduler", "--poll", "1s", "--lease", "3s", "--grace", "2s"])
        #expect(try await cli.run(["schedule", "run-now", "slow"]).status == 0)
        let store = try SQLiteScheduleStore(path: cli.storePath, logger: quietLogger)
        _ = try await Self.waitForRun(store, "slow", "the run to start") {
            $0.status == .running && $0.pid != nil
        }

        let signalled = ContinuousClock.now
        kill(scheduler.processIdentifier, SIGTERM)
        let stopped = try await cli.finish(scheduler)
        let took = ContinuousClock.now - signalled
        #expect(stopped.status == 0, "\(stopped.standardError)")
        #expect(took >= .seconds(2), "it waited for the grace period")
        #expect(took < .seconds(2 + 5 + 5), "grace, then SIGTERM to the run: \(took)")
        let run = try await Self.waitForRun(store, "slow", "the run's record") { $0.trigger == .manual }
        #expect(run.status == .interrupted, "\(run)")
        #expect(
            run.reason?.contains("the scheduler stopped before the run finished (grace period 2s)") == true
        )
        await store.close()
    }
}
