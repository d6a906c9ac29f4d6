import CLua

extension LuaState {
    /// Makes the state usable again after `run` threw: clears a limit or an interrupt that
    /// stopped the code, and lets go of the tasks that did not finish (their host work was
    /// cancelled with the run). Globals and everything the code stored stay as they were.
    ///
    /// For a program that runs many pieces of code in one state, one after the other (the
    /// REPL's statements); `refonte run` ends at the first stop instead.
    public func recover() {
        for task in scheduler.tasks.values {
            if task.outcome == nil || task.id == scheduler.mainTask {
                release(task)
            } else {
                // A failure from before the stop belongs to the stopped code: a later run
                // must not report it as its own.
                task.observed = true
            }
        }
        suspended.removeAll()
        lastSuspended = nil
        scheduler.ready = []
        scheduler.inFlight = 0
        // Last: the collection it may run needs the stop cleared, and the tasks let go.
        refonte_recover(mainThread, limits.needsHook ? 1 : 0)
    }

    /// Starts the script's clock again from zero, so `LuaLimits.timeout` applies to the next
    /// piece of code alone (the REPL's `--timeout` is per statement). Also forgets an interrupt
    /// that came after the last piece had finished.
    public func resetScriptClock() {
        refonte_reset_clock(host)
        if !isStopped { refonte_recover(mainThread, limits.needsHook ? 1 : 0) }
    }
}
