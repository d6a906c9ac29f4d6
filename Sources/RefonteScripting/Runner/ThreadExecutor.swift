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

    /// Nil when the system gives no more threads.
    init?() {
        Self.check(pthread_mutex_init(mutex, nil), "pthread_mutex_init")
        Self.check(pthread_cond_init(condition, nil), "pthread_cond_init")
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
        if pthread_equal(pthread_self(), thread) != 0 {
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
