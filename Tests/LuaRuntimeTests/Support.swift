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

/// Counts live instances, to show that no Swift frame holding one was jumped over.
final class Tracked: Sendable {
    static let live = Atomic<Int>(0)
    static var count: Int { live.load(ordering: .relaxed) }
    init() { Self.live.add(1, ordering: .relaxed) }
    deinit { Self.live.subtract(1, ordering: .relaxed) }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
}
