import CLua

/// A Swift closure that Lua can call. Lua's garbage collector releases it with the last Lua
/// function that refers to it.
public final class LuaSwiftFunction: Hashable {
    /// Used in error messages: "sleep: argument #1 (ms) must be a number, got string".
    public let name: String
    let body: (LuaCall) throws -> LuaReturn

    public init(_ name: String, _ body: @escaping (LuaCall) throws -> LuaReturn) {
        self.name = name
        self.body = body
    }

    /// Runs the closure for Lua; the C trampoline acts on the code it returns.
    func invoke(_ thread: OpaquePointer) -> Int32 {
        let call = LuaCall(thread: thread, function: self)
        do {
            return call.complete(try body(call))
        } catch {
            return call.fail(error)
        }
    }

    public static func == (a: LuaSwiftFunction, b: LuaSwiftFunction) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// What a bound function asks Lua to do when it returns.
public enum LuaReturn {
    /// Return the top `count` values of the stack.
    case results(Int32)
    /// Raise the value on top of the stack as the error, unchanged (a table stays a table).
    case raise
    /// Suspend the calling coroutine until the host has done `LuaSuspension`'s work.
    case suspend(LuaSuspension)

    public static var none: LuaReturn { .results(0) }
}

/// A host call in flight: async work the host awaits off the Lua thread, and a step that runs
/// back on the Lua thread, inside the suspended coroutine, with the work's result.
public struct LuaSuspension {
    enum Work {
        case async(@Sendable () async -> any Sendable)
        case join(taskID: Int)
    }

    let work: Work
    let resume: (LuaCall, any Sendable) throws -> LuaReturn

    /// `work` runs concurrently with other coroutines' work and never touches Lua. `resume`
    /// pushes results onto the coroutine's stack (or throws, raising a Lua error there that
    /// `pcall` can catch); it may also suspend again.
    public init<Payload: Sendable>(
        work: @escaping @Sendable () async -> Payload,
        resume: @escaping (LuaCall, Payload) throws -> LuaReturn
    ) {
        self.work = .async { await work() }
        self.resume = { call, payload in
            guard let payload = payload as? Payload else {
                throw LuaValueError("host work returned \(type(of: payload)), expected \(Payload.self)")
            }
            return try resume(call, payload)
        }
    }

    init(join taskID: Int, resume: @escaping (LuaCall, any Sendable) throws -> LuaReturn) {
        self.work = .join(taskID: taskID)
        self.resume = resume
    }
}

// The C trampoline's entry points: plain C function pointers, so they capture nothing.
let swiftCallEntry: refonte_call_fn = { thread, box in
    // Lua's closure holds the box for the whole call: no retain and release around it.
    Unmanaged<LuaSwiftFunction>.fromOpaque(box!)._withUnsafeGuaranteedRef { $0.invoke(thread!) }
}

let swiftResumeEntry: refonte_resume_fn = { thread in
    guard let state = LuaState.owning(thread!) else {
        LuaStack(thread!).push("a host call resumed after its state closed")
        return Int32(REFONTE_RETURN_ERROR)
    }
    return state.resumeSuspended(thread!)
}

let swiftReleaseEntry: refonte_release_fn = { box in
    Unmanaged<LuaSwiftFunction>.fromOpaque(box!).release()
}
