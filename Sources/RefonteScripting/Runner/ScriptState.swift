import Logging
import LuaRuntime

/// A fresh Lua state with the script environment installed, under the given limits and
/// grants: the state `refonte run` runs a script in, and the one the REPL keeps for a session.
public enum ScriptState {
    /// `configure` adds what the caller needs beyond the environment (`arg`, say); a failure
    /// there is reported like one of the environment's own.
    public static func make(
        limits: LuaLimits,
        permissions: ScriptPermissions,
        packagePath: String,
        extensions: [any ScriptExtension],
        logger: Logger,
        configure: (LuaState) throws -> Void = { _ in }
    ) throws(ScriptFailure) -> LuaState {
        do {
            let state = try LuaState(limits: limits)
            try ScriptEnvironment.install(
                in: state,
                permissions: permissions,
                packagePath: packagePath,
                extensions: extensions,
                logger: logger
            )
            try configure(state)
            return state
        } catch let error as LuaError {
            if case .limit = error.kind { throw .limit(error) }
            throw .setup("cannot set up the script's environment: \(error)")
        } catch {
            throw .setup("cannot set up the script's environment: \(error)")
        }
    }
}
