import Foundation
import LuaRuntime
import NIOPosix
import RefonteScripting
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Where a script runs: on a thread of its own, which serves no socket, with the tasks that
/// await its host calls.
@Suite struct ScriptThreadTests {
    /// `here()` records the thread it runs on, and the threads its host work and resumption run
    /// on, and whether any of them is a NIO event loop (where servers and clients live).
    final class ThreadRecorder: ScriptExtension, Sendable {
        let seen = Mutex<[String: [UInt]]>([:])
        let onAnEventLoop = Mutex(false)

        func record(_ place: String) {
            let thread = UInt(pthread_self())
            seen.withLock { $0[place, default: []].append(thread) }
            if MultiThreadedEventLoopGroup.currentEventLoop != nil { onAnEventLoop.withLock { $0 = true } }
        }

        func install(in context: ScriptContext) throws {
            let here = LuaSwiftFunction("here") { call in
                self.record("lua")
                return .suspend(
                    LuaSuspension(
                        work: { () -> Int in
                            self.record("work")
                            return 1
                        },
                        resume: { call, _ in
                            self.record("resume")
                            return .results(0)
                        }
                    )
                )
            }
            try context.state.setGlobal("here", .function(.swift(here)))
        }
    }

    func run(_ source: String, _ recorder: ThreadRecorder) async throws {
        try await ScriptRunner(logger: quietLogger).run(
            ScriptRun(source: .code(source), extensions: [recorder])
        )
    }

    @Test func aScriptRunsOnAThreadOfItsOwnWithTheTasksThatAwaitItsCalls() async throws {
        let recorder = ThreadRecorder()
        try await run("here() spawn(here):wait() here()", recorder)
        let seen = recorder.seen.withLock { $0 }
        #expect(seen["lua"]?.count == 3 && seen["work"]?.count == 3 && seen["resume"]?.count == 3)
        // One thread for the Lua state, its host work and its resumptions.
        #expect(Set(seen.values.flatMap { $0 }).count == 1)
        // Not an event loop, where a server's or a client's sockets would wait behind the script.
        #expect(recorder.onAnEventLoop.withLock { $0 } == false)
    }

    /// `refonte run`'s main thread serves as its script's thread: `ScriptThread.run` inside
    /// `serve` starts none, and the script, its host work and its resumptions all run on the
    /// thread that called `serve`.
    @Test func aServedThreadIsTheScriptsThread() async throws {
        let recorder = ThreadRecorder()
        let (caller, failure) = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let failure = ScriptThread.serve { () -> String? in
                    do {
                        try await ScriptRunner(logger: quietLogger).run(
                            ScriptRun(
                                source: .code("here() spawn(here):wait() here()"),
                                extensions: [recorder]
                            )
                        )
                        return nil
                    } catch {
                        return "\(error)"
                    }
                }
                continuation.resume(returning: (UInt(pthread_self()), failure))
            }
        }
        #expect(failure == nil)
        let seen = recorder.seen.withLock { $0 }
        #expect(seen["lua"]?.count == 3 && seen["work"]?.count == 3 && seen["resume"]?.count == 3)
        #expect(Set(seen.values.flatMap { $0 }) == [caller])
    }
}
