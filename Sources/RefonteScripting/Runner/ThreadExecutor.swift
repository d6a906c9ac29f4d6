#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs Swift tasks on one thread of its own (`withTaskExecutorPreference(executor) { ... }`),
/// started by `init` and ended by `finish()`.
///
/// A script's Lua state needs a thread to itself, not an event loop: it neither serves sockets
/// nor sets timers. A plain thread with a queue starts in a fraction of what a one-thread NIO
/// event loop group costs (its selector, its eventfd and timerfd, and the generic types it
/// instantiates: 3 million instructions, a fifth of `refonte run -e ''`). The pthread calls
/// live here and nowhere else.
final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    // The state below is guarded by `mutex`; allocated, so that its address never moves.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [UnownedJob] = []
    /// The thread waits on `condition`: only then does a new job need to wake it.
    private var sleeping = false
    private var finishing = false
    private var running = true
    private var thread = pthread_t()
    /// The thread was not started here but lent by its caller (`serve`): nothing to join.
    private let adopted: Bool

    private init(adopting thread: pthread_t?) {
        Self.check(pthread_mutex_init(mutex, nil), "pthread_mutex_init")
        Self.check(pthread_cond_init(condition, nil), "pthread_cond_init")
        adopted = thread != nil
        if let thread { self.thread = thread }
    }

    /// Nil when the system gives no more threads.
    convenience init?() {
        self.init(adopting: nil)
        // The thread holds the executor until its loop ends.
        let context = Unmanaged.passRetained(self).toOpaque()
        let status = pthread_create(
            &thread,
            nil,
            { context in
                let executor = Unmanaged<ThreadExecutor>.fromOpaque(context!).takeRetainedValue()
                executor.loop()
                return nil
            },
            context
        )
        guard status == 0 else {
            Unmanaged<ThreadExecutor>.fromOpaque(context).release()
            return nil
        }
    }

    /// Runs `body` as a task whose jobs run on the calling thread, and returns its result when
    /// it ends. The calling thread serves as the executor's thread until then.
    static func serve<Result: Sendable>(_ body: @escaping @Sendable () async -> Result) -> Result {
        let executor = ThreadExecutor(adopting: pthread_self())
        let outcome = Outcome<Result>()
        Task(executorPreference: executor) {
            outcome.value = await body()
            executor.finish()
        }
        executor.loop()
        guard let value = outcome.value else { fatalError("ThreadExecutor.serve: the task did not end") }
        return value
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        pthread_mutex_lock(mutex)
        guard running else {
            pthread_mutex_unlock(mutex)
            // A job that comes after the end (a task that outlived the script) still runs.
            globalConcurrentExecutor.enqueue(job)
            return
        }
        jobs.append(UnownedJob(job))
        let wake = sleeping
        pthread_mutex_unlock(mutex)
        // Signalled after the unlock, so that the thread does not wake only to wait for the lock.
        if wake { pthread_cond_signal(condition) }
    }

    /// Runs the jobs already queued, then ends the thread, and waits for it unless called on it.
    func finish() {
        pthread_mutex_lock(mutex)
        finishing = true
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
        if adopted {
            // The lender's `serve` returns when the loop ends; the thread is not ours to end.
            return
        } else if pthread_equal(pthread_self(), thread) != 0 {
            // The job calling this is the thread's last; it ends when that job returns.
            Self.check(pthread_detach(thread), "pthread_detach")
        } else {
            Self.check(pthread_join(thread, nil), "pthread_join")
        }
    }

    private func loop() {
        var batch: [UnownedJob] = []
        while true {
            pthread_mutex_lock(mutex)
            while jobs.isEmpty && !finishing {
                sleeping = true
                pthread_cond_wait(condition, mutex)
                sleeping = false
            }
            if jobs.isEmpty {
                running = false
                pthread_mutex_unlock(mutex)
                return
            }
            swap(&batch, &jobs)
            pthread_mutex_unlock(mutex)
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }

    /// With default attributes these calls fail only on a programming error (a double join, a
    /// thread that is not ours): nothing a script can cause.
    private static func check(_ status: Int32, _ call: StaticString) {
        guard status != 0 else { return }
        fatalError("\(call) failed: \(String(cString: strerror(status)))")
    }
}

/// The result of the task `ThreadExecutor.serve` runs: written by the task on the served
/// thread, read by that same thread after the loop ends.
private final class Outcome<Value>: @unchecked Sendable {
    var value: Value?
}
