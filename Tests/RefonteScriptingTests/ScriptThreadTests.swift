import LuaRuntime
import NIOCore
import NIOPosix
import RefonteScripting
import Synchronization
import Testing

/// Where a script runs: on an event loop of its own, shared with no server, with the tasks
/// that await its host calls.
@Suite struct ScriptThreadTests {
    /// `here()` records the event loop it runs on, and the loops its host work and resumption
    /// run on.
    final class LoopRecorder: ScriptExtension, Sendable {
        let seen = Mutex<[String: [ObjectIdentifier?]]>([:])

        func record(_ place: String) {
            let loop = MultiThreadedEventLoopGroup.currentEventLoop.map { ObjectIdentifier($0) }
            seen.withLock { $0[place, default: []].append(loop) }
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

    func run(_ source: String, _ recorder: LoopRecorder) async throws {
        try await ScriptRunner(logger: quietLogger).run(
            ScriptRun(source: .code(source), extensions: [recorder])
        )
    }

    @Test func aScriptRunsOnALoopOfItsOwnWithTheTasksThatAwaitItsCalls() async throws {
        let recorder = LoopRecorder()
        try await run("here() spawn(here):wait() here()", recorder)
        let seen = recorder.seen.withLock { $0 }
        let loops = Set(seen.values.flatMap { $0 })
        #expect(seen["lua"]?.count == 3 && seen["work"]?.count == 3 && seen["resume"]?.count == 3)
        // One loop for the Lua state, its host work and its resumptions.
        #expect(loops.count == 1)
        let loop = try #require(loops.first ?? nil)
        // Not a loop of the process-wide group that servers (the embedded sandbox) use.
        let shared = MultiThreadedEventLoopGroup.singleton.makeIterator().map { ObjectIdentifier($0) }
        #expect(!shared.contains(loop))
    }
}
