import ArgumentParser
import RefonteScripting
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--progress`: how `refonte.map` shows how far it got, on standard error.
enum ProgressMode: String, CaseIterable, ExpressibleByArgument {
    /// A bar on a terminal, else a line every 10 s.
    case auto
    case plain
    case json
    case off
}

struct ProgressFlags: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "How refonte.map shows its progress on standard error: auto (a bar on a terminal, else a line every 10 s), plain, json (a line per update) or off.",
            valueName: "mode"
        )
    )
    var progress: ProgressMode = .auto
}

/// `refonte.map`'s progress on standard error: a bar redrawn at most 10 times a second on a
/// terminal, a plain line every 10 s in a pipe or a log, or one JSON line per update.
///
/// The script's thread only records counts (`advanced`); a ticker task draws at its own pace,
/// so a map of 10,000 quick items costs 10,000 counter updates, not 10,000 redraws.
final class ProgressDisplay: MapProgress {
    enum Style {
        case bar, plain, json

        /// How often the ticker looks at the counts.
        var interval: Duration {
            switch self {
            case .bar, .json: .milliseconds(100)
            case .plain: .seconds(10)
            }
        }
    }

    private struct Job {
        var label: String
        var total: Int
        var done = 0
        var failed = 0
        let started = ContinuousClock.now
        /// The counts when last shown; nil when never shown.
        var shown: (done: Int, failed: Int)?
        var shownAt: ContinuousClock.Instant?
    }

    private struct State {
        var jobs: [Int: Job] = [:]
        var nextID = 1
        var ticker: Task<Void, Never>?
    }

    let style: Style
    let sharesTerminalWithOutput: Bool
    private let status: StatusLine
    private let state = Mutex(State())

    /// The display `mode` asks for, or nil (`off`).
    static func make(_ mode: ProgressMode) -> ProgressDisplay? {
        let status = StatusLine.standardError
        let style: Style
        switch mode {
        case .off: return nil
        case .plain: style = .plain
        case .json: style = .json
        case .auto: style = status.isTerminal ? .bar : .plain
        }
        return ProgressDisplay(style: style, status: status)
    }

    init(style: Style, status: StatusLine) {
        self.style = style
        self.status = status
        self.sharesTerminalWithOutput = style == .bar && isatty(STDOUT_FILENO) == 1
    }

    func started(total: Int, label: String) -> Int {
        // An empty map has nothing to show.
        guard total > 0 else { return 0 }
        let job = Job(label: label, total: total)
        let id = state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.jobs[id] = job
            if state.ticker == nil { state.ticker = startTicker() }
            return id
        }
        if style == .json { status.write(lines: snapshot(id, job).json(event: "start")) }
        return id
    }

    func advanced(_ map: Int, done: Int, failed: Int) {
        state.withLock { state in
            state.jobs[map]?.done = done
            state.jobs[map]?.failed = failed
        }
    }

    func finished(_ map: Int, done: Int, failed: Int) {
        let (job, last) = state.withLock { state -> (Job?, Bool) in
            guard var job = state.jobs.removeValue(forKey: map) else { return (nil, false) }
            job.done = done
            job.failed = failed
            if state.jobs.isEmpty {
                state.ticker?.cancel()
                state.ticker = nil
            }
            return (job, state.jobs.isEmpty)
        }
        guard let job else { return }
        let snapshot = snapshot(map, job)
        switch style {
        case .bar:
            // A map too short to have been drawn leaves nothing behind.
            if job.shown != nil {
                status.clear(leaving: snapshot.finalLine)
            } else if last {
                status.clear()
            }
        case .plain:
            if job.shown != nil { status.write(lines: snapshot.finalLine) }
        case .json:
            status.write(lines: snapshot.json(event: "done"))
        }
    }

    func hideForOutput() { status.hide() }
    func showAfterOutput() { status.unhide() }

    /// Takes the bar off the screen at the end of the run, whatever ended it.
    func close() {
        let ticker = state.withLock { state in
            defer {
                state.ticker = nil
                state.jobs = [:]
            }
            return state.ticker
        }
        ticker?.cancel()
        if style == .bar { status.clear() }
    }

    private func startTicker() -> Task<Void, Never> {
        let interval = style.interval
        return Task.detached { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, let self else { return }
                self.tick()
            }
        }
    }

    /// Shows the latest map still running, if its counts changed (or, for the bar, a second
    /// passed, so the rate and ETA move on while one slow item runs).
    private func tick() {
        let now = ContinuousClock.now
        let due = state.withLock { state -> (Int, Job)? in
            guard let id = state.jobs.keys.max(), var job = state.jobs[id] else { return nil }
            let changed = job.shown.map { $0.done != job.done || $0.failed != job.failed } ?? true
            let stale = job.shownAt.map { now - $0 >= .seconds(1) } ?? true
            switch style {
            case .bar: guard changed || stale else { return nil }
            case .json: guard changed else { return nil }
            case .plain: break
            }
            job.shown = (job.done, job.failed)
            job.shownAt = now
            state.jobs[id] = job
            return (id, job)
        }
        guard let due else { return }
        let (id, job) = due
        let snapshot = snapshot(id, job)
        switch style {
        case .bar: status.show(snapshot.bar(columns: status.columns))
        case .plain: status.write(lines: snapshot.line)
        case .json: status.write(lines: snapshot.json(event: "progress"))
        }
    }

    private func snapshot(_ id: Int, _ job: Job) -> ProgressSnapshot {
        ProgressSnapshot(
            map: id,
            label: job.label,
            total: job.total,
            done: job.done,
            failed: job.failed,
            elapsed: ContinuousClock.now - job.started
        )
    }
}
