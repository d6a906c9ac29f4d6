import LuaRuntime
import RefonteScripting

/// A state with the script environment, as `refonte run` sets it up.
func scriptState(
    permissions: ScriptPermissions = ScriptPermissions(),
    packagePath: String = "./?.lua",
    limits: LuaLimits = LuaLimits()
) throws -> LuaState {
    let state = try LuaState(limits: limits)
    try ScriptEnvironment.install(in: state, permissions: permissions, packagePath: packagePath)
    return state
}

/// Runs `source` in `state` with the scheduler and returns its results.
@discardableResult
func evaluate(_ state: LuaState, _ source: String) async throws -> [LuaValue] {
    try await state.run(try state.load(source, chunkName: "=test"))
}

/// A small deterministic generator, so a failing property test can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
