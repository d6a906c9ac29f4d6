import CLua
import Synchronization

/// Stops the code a `LuaState` runs, from any thread: the REPL's Ctrl-C.
///
/// The request is taken on the Lua thread by the instruction hook (within 1,000 VM
/// instructions), by the trampoline before and after a bound Swift function, and by the host's
/// own checks on long work (`LuaStack.withinLimits`). From then on the code is stopped the way
/// a limit stops it: no `pcall` catches it, and `run` throws `LuaError(kind: .interrupted)`.
/// When every task awaits the host, `run` wakes and cancels the work in flight (an HTTP request,
/// a `sleep`), so the stop does not wait for the answer. Only a state whose limits are
/// `interruptible` is attached; interrupting another does nothing.
public final class LuaInterrupter: Sendable {
    /// The state's host, touched from other threads only through its atomic interrupt flag,
    /// and only while attached (the state detaches it, under the lock, before it closes).
    private struct Host: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<refonte_host>
    }

    private struct Link: ~Copyable {
        /// Nil once the state has closed (or for a state that cannot be stopped).
        var host: Host?
        /// `run`'s watcher, woken by an interrupt or by the end of the run.
        var waiter: Waiter?
    }

    /// Boxed, so that `Link` has a layout known when compiled. A `CheckedContinuation` field
    /// would have its layout worked out at run time, when every state is made, at the price of
    /// a search of the binary's 11,600 protocol conformances (for `Never: Error`); only an
    /// interruptible state's `run` ever waits.
    private final class Waiter: Sendable {
        let continuation: CheckedContinuation<Void, Never>
        init(_ continuation: CheckedContinuation<Void, Never>) { self.continuation = continuation }
        func resume() { continuation.resume() }
    }

    private let link = Mutex(Link())

    init() {}

    /// Asks the running code to stop. Returns false when an earlier request has not been taken
    /// yet: the Lua thread is in C code that runs no VM instruction, or waits on host work that
    /// ignored its cancellation (the REPL exits on a second Ctrl-C then).
    @discardableResult
    public func interrupt() -> Bool {
        link.withLock { link in
            guard let host = link.host else { return true }
            let fresh = refonte_request_interrupt(host.pointer) != 0
            link.waiter?.resume()
            link.waiter = nil
            return fresh
        }
    }

    /// Whether a request is waiting to be taken.
    public var isPending: Bool {
        link.withLock { link in link.host.map { refonte_interrupt_pending($0.pointer) != 0 } ?? false }
    }

    func attach(_ host: UnsafeMutablePointer<refonte_host>) {
        let host = Host(pointer: host)
        link.withLock { $0.host = host }
    }

    func detach() {
        link.withLock { link in
            link.host = nil
            link.waiter?.resume()
            link.waiter = nil
        }
    }

    /// Returns once an interrupt is requested, or when the calling task is cancelled.
    func waitForInterrupt() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                link.withLock { link in
                    let pending = link.host.map { refonte_interrupt_pending($0.pointer) != 0 } ?? true
                    if pending || Task.isCancelled {
                        waiter.resume()
                    } else {
                        link.waiter = Waiter(waiter)
                    }
                }
            }
        } onCancel: {
            link.withLock { link in
                link.waiter?.resume()
                link.waiter = nil
            }
        }
    }
}
