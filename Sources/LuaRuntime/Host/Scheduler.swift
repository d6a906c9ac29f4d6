/// The host's coroutines: the main chunk and every task the script spawns.
struct Scheduler {
    var tasks: [Int: HostTask] = [:]
    var nextID = 1
    var ready: [Int] = []
    var inFlight = 0
    var peakInFlight = 0
    var mainTask = 0
}

/// One coroutine the host runs, on a thread kept alive by a registry slot.
final class HostTask {
    enum Outcome {
        /// The results are the top `count` values of the finished coroutine's stack.
        case finished(count: Int32)
        /// The error value is on top of the dead coroutine's stack.
        case failed(LuaError)
    }

    let id: Int
    let thread: OpaquePointer
    /// The registry slot that keeps `thread` alive.
    let slot: Int32
    var pendingArguments: Int32
    /// The coroutine (this task's thread or one it resumed) whose host call it waits for.
    var waitingOn: OpaquePointer?
    var outcome: Outcome?
    var waiters: [(task: Int, thread: OpaquePointer)] = []
    var observed = false
    /// Waiters resumed but not yet handed the results; the thread is kept until they have them.
    var undelivered = 0
    /// The script's handle was collected, so nobody can wait any more: a task that finishes
    /// well is let go at once.
    var orphaned = false

    init(id: Int, thread: OpaquePointer, slot: Int32, arguments: Int32) {
        self.id = id
        self.thread = thread
        self.slot = slot
        self.pendingArguments = arguments
    }

    /// Copies this finished task's results (or raises its error) in `call`'s coroutine.
    func deliver(to call: LuaCall) -> LuaReturn {
        observed = true
        let source = LuaStack(thread)
        switch outcome {
        case .finished(let count):
            guard call.stack.reserve(count + 1), source.reserve(1) else {
                call.stack.push("task:wait: too many results to return")
                return .raise
            }
            let first = source.top - count + 1
            for index in 0..<count {
                source.copy(first + index)
                source.move(1, to: call.stack)
            }
            return .results(count)
        case .failed:
            source.reserve(1)
            source.copy(-1)
            source.move(1, to: call.stack)
            return .raise
        case nil:
            call.stack.push("task:wait: the task has not finished")
            return .raise
        }
    }
}

/// The result of one piece of host work, handed from its child task back to the scheduler.
struct Completion: Sendable {
    let task: Int
    let payload: any Sendable

    /// The task id of the child that waits for an interrupt (tasks count from 1).
    static let interruptWatcher = 0
}

/// The marker a joined task's waiter gets: the results are read from the task itself.
struct JoinedTask: Sendable {}
