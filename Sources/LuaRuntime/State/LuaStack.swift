import CLua

/// A view of one Lua thread's stack: the single place that touches Lua's stack API.
///
/// Everything here is raw (no metamethods) and cannot raise a Lua error: while Swift runs,
/// allocation does not fail (the cap is checked when Swift returns to Lua), and table access
/// that could run Lua code goes through `LuaState` under a protected call.
public struct LuaStack {
    public let thread: OpaquePointer

    init(_ thread: OpaquePointer) { self.thread = thread }

    public var top: Int32 { lua_gettop(thread) }
    public func setTop(_ index: Int32) { lua_settop(thread, index) }
    public func pop(_ count: Int32 = 1) { refonte_pop(thread, count) }
    public func absolute(_ index: Int32) -> Int32 { lua_absindex(thread, index) }
    /// Makes room for `count` more values; false when the stack cannot grow (Lua's C limit).
    @discardableResult
    public func reserve(_ count: Int32) -> Bool { lua_checkstack(thread, count) != 0 }
    public func copy(_ index: Int32) { lua_pushvalue(thread, index) }
    public func remove(_ index: Int32) { refonte_remove(thread, index) }
    public func insert(at index: Int32) { refonte_insert(thread, index) }

    // MARK: pushing

    public func pushNil() { lua_pushnil(thread) }
    public func push(_ value: Bool) { lua_pushboolean(thread, value ? 1 : 0) }
    public func push(_ value: Int64) { lua_pushinteger(thread, lua_Integer(value)) }
    public func push(_ value: Int) { lua_pushinteger(thread, lua_Integer(value)) }
    public func push(_ value: Double) { lua_pushnumber(thread, value) }
    public func push(_ value: String) {
        var value = value
        value.withUTF8 { push(bytes: UnsafeRawBufferPointer($0)) }
    }
    public func push(bytes: UnsafeRawBufferPointer) {
        _ = lua_pushlstring(thread, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
    }
    public func push<Bytes: Collection<UInt8>>(bytes: Bytes) {
        let pushed: Void? = bytes.withContiguousStorageIfAvailable { push(bytes: UnsafeRawBufferPointer($0)) }
        if pushed == nil { Array(bytes).withUnsafeBytes { push(bytes: $0) } }
    }
    public func pushLightUserdata(_ pointer: UnsafeRawPointer) {
        lua_pushlightuserdata(thread, UnsafeMutableRawPointer(mutating: pointer))
    }
    public func newTable(arrayCount: Int32 = 0, recordCount: Int32 = 0) {
        lua_createtable(thread, arrayCount, recordCount)
    }
    /// Pushes a new full userdata of `size` bytes (no user values).
    @discardableResult
    public func newUserdata(size: Int) -> UnsafeMutableRawPointer { lua_newuserdatauv(thread, size, 0) }
    public func pushRegistry() { lua_pushvalue(thread, refonte_registryindex()) }
    public func pushGlobals() { lua_rawgeti(thread, refonte_registryindex(), lua_Integer(LUA_RIDX_GLOBALS)) }
    public func pushThread() { lua_pushthread(thread) }
    func pushCFunction(_ function: lua_CFunction) { lua_pushcclosure(thread, function, 0) }

    // MARK: tables (raw access only)

    /// t[k] = v with t at `table`, k and v on top (popped).
    public func rawSet(_ table: Int32) { lua_rawset(thread, table) }
    /// t[i] = v with v on top (popped).
    public func rawSet(_ table: Int32, index: Int64) { lua_rawseti(thread, table, lua_Integer(index)) }
    /// t[name] = v with v on top (popped).
    public func rawSet(_ table: Int32, field: String) {
        let table = absolute(table)
        push(field)
        insert(at: -2)
        lua_rawset(thread, table)
    }
    @discardableResult
    public func rawGet(_ table: Int32, index: Int64) -> LuaType {
        LuaType(lua_rawgeti(thread, table, lua_Integer(index)))
    }
    @discardableResult
    public func rawGet(_ table: Int32, field: String) -> LuaType {
        let table = absolute(table)
        push(field)
        return LuaType(lua_rawget(thread, table))
    }
    /// Pushes t[k] with t at `table` and k on top (popped).
    @discardableResult
    public func rawGetTop(_ table: Int32) -> LuaType { LuaType(lua_rawget(thread, table)) }
    public func rawLength(_ index: Int32) -> Int { Int(lua_rawlen(thread, index)) }
    /// Lua's `next`: pops a key, pushes the next key and value; false at the end.
    public func next(_ table: Int32) -> Bool { lua_next(thread, table) != 0 }
    /// Sets the metatable of the value at `index` to the table on top (popped).
    public func setMetatable(_ index: Int32) { lua_setmetatable(thread, index) }
    /// Pushes the metatable of the value at `index`, or nothing and false.
    public func pushMetatable(_ index: Int32) -> Bool { lua_getmetatable(thread, index) != 0 }
    public func rawEqual(_ a: Int32, _ b: Int32) -> Bool { lua_rawequal(thread, a, b) != 0 }

    // MARK: reading

    public func type(at index: Int32) -> LuaType { LuaType(lua_type(thread, index)) }
    public func typeName(at index: Int32) -> String { type(at: index).name }
    public func isInteger(_ index: Int32) -> Bool { lua_isinteger(thread, index) != 0 }
    public func boolean(at index: Int32) -> Bool { lua_toboolean(thread, index) != 0 }
    /// The integer at `index`, only if it is an integer (not a float or a numeric string).
    public func integer(at index: Int32) -> Int64? {
        isInteger(index) ? Int64(lua_tointegerx(thread, index, nil)) : nil
    }
    /// The number at `index` as a Double, only if it is a number.
    public func number(at index: Int32) -> Double? {
        type(at: index) == .number ? lua_tonumberx(thread, index, nil) : nil
    }
    /// Calls `body` with the bytes of the string at `index`, without copying; nil if not a string.
    public func withBytes<R>(at index: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        guard type(at: index) == .string else { return nil }
        var length = 0
        guard let pointer = lua_tolstring(thread, index, &length) else { return nil }
        return try body(UnsafeRawBufferPointer(start: pointer, count: length))
    }
    public func bytes(at index: Int32) -> [UInt8]? { withBytes(at: index) { Array($0) } }
    /// The string at `index` decoded as UTF-8 (invalid sequences repaired); nil if not a string.
    public func string(at index: Int32) -> String? {
        withBytes(at: index) { String(decoding: $0, as: UTF8.self) }
    }
    public func pointer(at index: Int32) -> UnsafeRawPointer? { lua_topointer(thread, index) }
    public func userdata(at index: Int32) -> UnsafeMutableRawPointer? { lua_touserdata(thread, index) }
    public func threadValue(at index: Int32) -> OpaquePointer? { lua_tothread(thread, index) }

    // MARK: registry references

    /// Pops the top value into the registry and returns its slot.
    func reference() -> Int32 { luaL_ref(thread, refonte_registryindex()) }
    func pushReference(_ slot: Int32) { lua_rawgeti(thread, refonte_registryindex(), lua_Integer(slot)) }
    func releaseReference(_ slot: Int32) { luaL_unref(thread, refonte_registryindex(), slot) }

    // MARK: functions, calls and coroutines

    /// Pushes a Lua function that calls `function` through the C trampoline. The userdata that
    /// holds it keeps one retain, released by Lua's collector.
    func push(function: LuaSwiftFunction) {
        refonte_push_function(thread, Unmanaged.passRetained(function).toOpaque())
    }

    /// Compiles text (never binary) into a function on top; returns Lua's status.
    func load(_ source: UnsafeRawBufferPointer, chunkName: String) -> Int32 {
        luaL_loadbufferx(
            thread,
            source.baseAddress?.assumingMemoryBound(to: CChar.self),
            source.count,
            chunkName,
            "t"
        )
    }

    /// Loads bytecode that refonte's build compiled (`LuaChunk`), never a script's.
    func load(bytecode: UnsafeRawBufferPointer, chunkName: String) -> Int32 {
        luaL_loadbufferx(
            thread,
            bytecode.baseAddress?.assumingMemoryBound(to: CChar.self),
            bytecode.count,
            chunkName,
            "b"
        )
    }

    /// Calls the function below `arguments` arguments as script code: it counts as script time,
    /// may fail for the memory cap, and leaves an error's traceback for `pushTraceback`.
    func protectedCall(arguments: Int32, results: Int32) -> Int32 {
        refonte_pcall(thread, arguments, results)
    }

    /// Calls the error describer below its two arguments as script code (its time counts, its
    /// allocations may fail, a little past the cap), with no message handler.
    func describeCall() -> Int32 {
        refonte_describe_call(thread)
    }

    /// Pushes the traceback of the last error `protectedCall` caught (if it was a string) and forgets it.
    func pushTraceback() -> Bool {
        let found = refonte_push_traceback(thread) == LUA_TSTRING
        refonte_clear_traceback(thread)
        return found
    }

    /// Pushes a C function that takes (thread, error value) and returns its message and traceback.
    func pushErrorDescriber() { pushCFunction(refonte_describe_error) }

    var isYieldable: Bool { lua_isyieldable(thread) != 0 }

    /// Pushes a new coroutine and returns its stack.
    func newThread() -> LuaStack {
        guard let other = lua_newthread(thread) else { preconditionFailure("lua_newthread returned NULL") }
        return LuaStack(other)
    }

    /// Resumes this coroutine with `arguments` values from its stack; returns Lua's status.
    func resume(from caller: LuaStack, arguments: Int32, results: inout Int32) -> Int32 {
        refonte_resume(thread, caller.thread, arguments, &results)
    }

    /// The value a host call yields so the scheduler can tell it from `coroutine.yield`.
    func isHostCallSentinel(at index: Int32) -> Bool { refonte_is_sentinel(thread, index) != 0 }
    func pushHostCallSentinel() { refonte_push_sentinel(thread) }

    /// The float at `index` (callers check the type first).
    func float(at index: Int32) -> Double { lua_tonumberx(thread, index, nil) }

    // MARK: moving between threads

    /// Moves `count` values from the top of this stack to the top of `other`'s.
    public func move(_ count: Int32, to other: LuaStack) {
        guard count > 0 else { return }
        lua_xmove(thread, other.thread, count)
    }
}

/// Lua's basic types.
public enum LuaType: Int32, Sendable {
    case none = -1
    case `nil` = 0
    case boolean = 1
    case lightUserdata = 2
    case number = 3
    case string = 4
    case table = 5
    case function = 6
    case userdata = 7
    case thread = 8

    init(_ raw: Int32) { self = LuaType(rawValue: raw) ?? .none }

    /// The name Lua's `type()` gives.
    public var name: String {
        switch self {
        case .none: "no value"
        case .nil: "nil"
        case .boolean: "boolean"
        case .lightUserdata, .userdata: "userdata"
        case .number: "number"
        case .string: "string"
        case .table: "table"
        case .function: "function"
        case .thread: "thread"
        }
    }
}
