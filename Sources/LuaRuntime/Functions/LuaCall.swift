import CLua

/// One call of a bound Swift function: its arguments, and where its results go.
public struct LuaCall {
    /// The calling coroutine's stack; arguments are at 1...argumentCount.
    public let stack: LuaStack
    unowned(unsafe) let function: LuaSwiftFunction

    init(thread: OpaquePointer, function: LuaSwiftFunction) {
        self.stack = LuaStack(thread)
        self.function = function
    }

    public var name: String { function.name }
    public var argumentCount: Int32 { stack.top }
    /// The Lua state, for work beyond the stack (running Lua functions, registry values).
    public var state: LuaState {
        guard let state = stack.owner else {
            preconditionFailure("a bound function ran after its state closed")
        }
        return state
    }

    // MARK: arguments

    public func type(_ position: Int32) -> LuaType {
        position > argumentCount ? .none : stack.type(at: position)
    }

    public func integer(_ position: Int32, _ label: String) throws(LuaArgumentError) -> Int64 {
        if let value = stack.integer(at: position) { return value }
        if let number = stack.number(at: position), let exact = Int64(exactly: number) { return exact }
        throw mismatch(position, label, expected: "an integer")
    }

    public func number(_ position: Int32, _ label: String) throws(LuaArgumentError) -> Double {
        guard let value = stack.number(at: position) else {
            throw mismatch(position, label, expected: "a number")
        }
        return value
    }

    public func bytes(_ position: Int32, _ label: String) throws(LuaArgumentError) -> [UInt8] {
        guard let value = stack.bytes(at: position) else {
            throw mismatch(position, label, expected: "a string")
        }
        return value
    }

    public func string(_ position: Int32, _ label: String) throws(LuaArgumentError) -> String {
        guard let value = stack.string(at: position) else {
            throw mismatch(position, label, expected: "a string")
        }
        return value
    }

    public func boolean(_ position: Int32, _ label: String) throws(LuaArgumentError) -> Bool {
        guard type(position) == .boolean else { throw mismatch(position, label, expected: "a boolean") }
        return stack.boolean(at: position)
    }

    public func expect(_ position: Int32, _ label: String, is expected: LuaType) throws(LuaArgumentError) {
        guard type(position) == expected else {
            throw mismatch(position, label, expected: "a \(expected.name)")
        }
    }

    public func isMissing(_ position: Int32) -> Bool { type(position) == .none || type(position) == .nil }

    /// The argument copied out of Lua.
    public func value(_ position: Int32) throws -> LuaValue {
        position > argumentCount ? .nil : try stack.value(at: position)
    }

    public func mismatch(_ position: Int32, _ label: String, expected: String) -> LuaArgumentError {
        let got = type(position) == .none ? "no value" : stack.typeName(at: position)
        return LuaArgumentError(position: position, label: label, expected: expected, got: got)
    }

    // MARK: results

    /// Pushes `value` and returns it. Most bound functions return one value, and the variadic
    /// form below allocates an array on every call (half the cost of `refonte.is_unknown`).
    public func returning(_ value: LuaValue) throws -> LuaReturn {
        try stack.push(value)
        return .results(1)
    }

    /// Pushes `values` and returns them.
    public func returning(_ values: LuaValue...) throws -> LuaReturn {
        for value in values { try stack.push(value) }
        return .results(Int32(values.count))
    }

    // MARK: the trampoline's side

    func complete(_ result: LuaReturn) -> Int32 {
        switch result {
        case .results(let count): return count
        case .raise: return Int32(REFONTE_RETURN_ERROR)
        case .suspend(let suspension):
            guard stack.isYieldable else {
                return fail(
                    LuaValueError(
                        "cannot wait for the host here: host calls cannot run inside a metamethod, "
                            + "table.sort, a string.gsub callback or a function the host calls directly"
                    )
                )
            }
            state.suspend(stack.thread, suspension, name: name)
            return Int32(REFONTE_RETURN_YIELD)
        }
    }

    /// Leaves "name: message" on the stack for the trampoline to raise with its position.
    func fail(_ error: any Error) -> Int32 {
        stack.reserve(1)
        stack.push("\(name): \(error)")
        return Int32(REFONTE_RETURN_ERROR_WHERE)
    }
}

/// A bound function got an argument of the wrong type.
public struct LuaArgumentError: Error, CustomStringConvertible, Sendable {
    public var position: Int32
    public var label: String
    public var expected: String
    public var got: String

    public init(position: Int32, label: String, expected: String, got: String) {
        self.position = position
        self.label = label
        self.expected = expected
        self.got = got
    }

    public var description: String { "argument #\(position) (\(label)) must be \(expected), got \(got)" }
}
