import LuaRuntime
import Synchronization

/// Runs `source` as a main chunk with the state's scheduler.
@discardableResult
func run(_ state: LuaState, _ source: String, _ arguments: [LuaValue] = []) async throws -> [LuaValue] {
    let chunk = try state.load(source, chunkName: "=test")
    return try await state.run(chunk, arguments: arguments)
}

/// A `sleep(ms)` like the script environment's, built on a suspension.
func installSleep(in state: LuaState) throws {
    try state.setGlobal(
        "sleep",
        .function(
            .swift(
                LuaSwiftFunction("sleep") { call in
                    let ms = try call.integer(1, "ms")
                    return .suspend(
                        LuaSuspension(
                            work: { try? await Task.sleep(for: .milliseconds(ms)) },
                            resume: { _, _ in .none }
                        )
                    )
                }
            )
        )
    )
}

/// Counts live instances, to show that no Swift frame holding one was jumped over. Each test
/// has its own counter, so tests running in parallel do not disturb each other.
final class LiveCounter: Sendable {
    private let live = Atomic<Int>(0)
    var count: Int { live.load(ordering: .relaxed) }
    func add(_ delta: Int) { live.add(delta, ordering: .relaxed) }
}

final class Tracked: Sendable {
    let counter: LiveCounter
    init(_ counter: LiveCounter) {
        self.counter = counter
        counter.add(1)
    }
    deinit { counter.add(-1) }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
}
