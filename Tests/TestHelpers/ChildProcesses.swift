import Foundation

/// Every `Process` a test starts goes through here.
///
/// Foundation's `Process.run()` lists /proc/self/fd to close inherited descriptors, and copies
/// each entry's whole 256-byte name buffer: once this process holds about a thousand
/// descriptors, that copy can run off the end of a page and crash the test process. The one
/// test that holds that many (1,100 sockets against the sandbox) calls `withLaunchesHeld`, and
/// no child starts meanwhile.
public actor ChildProcesses {
    public static let shared = ChildProcesses(
        slots: max(2, ProcessInfo.processInfo.activeProcessorCount)
    )

    private var held = false
    private var waitingToLaunch: [CheckedContinuation<Void, Never>] = []
    private var waitingToHold: [CheckedContinuation<Void, Never>] = []
    private var freeSlots: Int
    private var waitingForSlot: [CheckedContinuation<Void, Never>] = []

    /// `slots` bounds the short-lived children that `runToEnd` runs at once. Swift Testing starts
    /// every test together: unbounded, dozens of `refonte` children would share CI's two cores
    /// with the servers inside this process, and a test waiting ten seconds for one of those
    /// would time out because the machine is oversubscribed, not because anything is wrong.
    public init(slots: Int) {
        freeSlots = slots
    }

    /// Starts `process`. It runs on this actor without suspending, so no launch is under way
    /// while launches are held.
    public func launch(_ process: Process) async throws {
        while held { await withCheckedContinuation { waitingToLaunch.append($0) } }
        try process.run()
    }

    /// Starts `process` in a slot and waits for it with `wait` on a thread of its own (see
    /// `offThePool`), for children that run to their end: a command and its output.
    public func runToEnd<T: Sendable>(
        _ process: Process,
        wait: @escaping @Sendable (Process) throws -> T
    ) async throws -> T {
        await takeSlot()
        defer { giveBackSlot() }
        try await launch(process)
        return try await offThePool { try wait(process) }
    }

    /// Runs blocking `work` that starts a child without Foundation (`posix_spawn`, which closes
    /// nothing by listing descriptors) and waits for it, in a slot, on a thread of its own.
    public func inSlot<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        await takeSlot()
        defer { giveBackSlot() }
        return try await offThePool(work)
    }

    /// Runs `body` while no child starts (it waits for its turn after another holder).
    public nonisolated func withLaunchesHeld<T: Sendable>(
        _ body: @Sendable () async throws -> T
    ) async throws -> T {
        await hold()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }

    private func hold() async {
        while held { await withCheckedContinuation { waitingToHold.append($0) } }
        held = true
    }

    private func release() {
        held = false
        let waiting = waitingToLaunch + waitingToHold
        waitingToLaunch = []
        waitingToHold = []
        for continuation in waiting { continuation.resume() }
    }

    private func takeSlot() async {
        if freeSlots > 0 {
            freeSlots -= 1
            return
        }
        await withCheckedContinuation { waitingForSlot.append($0) }
    }

    private func giveBackSlot() {
        if waitingForSlot.isEmpty {
            freeSlots += 1
        } else {
            waitingForSlot.removeFirst().resume()
        }
    }
}
