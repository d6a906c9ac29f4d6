/// Why a value could not cross between Swift and Lua.
public struct LuaValueError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension LuaStack {
    /// Pushes `value`. Throws (pushing nothing) when a map key is nil or NaN, or a function
    /// reference belongs to another state.
    public func push(_ value: LuaValue) throws(LuaValueError) {
        guard reserve(3) else { throw LuaValueError("value is nested too deeply") }
        // A bound function's usual result: one slot, nothing to undo on failure.
        if pushScalar(value) { return }
        let base = top
        do throws(LuaValueError) {
            try pushUnchecked(value, depth: 0)
        } catch {
            setTop(base)
            throw error
        }
    }

    /// Pushes nil, a boolean or a number; false (pushing nothing) for any other value.
    private func pushScalar(_ value: LuaValue) -> Bool {
        switch value {
        case .nil: pushNil()
        case .boolean(let b): push(b)
        case .integer(let i): push(i)
        case .number(let d): push(d)
        default: return false
        }
        return true
    }

    private func pushUnchecked(_ value: LuaValue, depth: Int) throws(LuaValueError) {
        guard depth < 200, reserve(3) else { throw LuaValueError("value is nested too deeply") }
        if pushScalar(value) { return }
        switch value {
        case .nil, .boolean, .integer, .number: return  // pushed above
        case .string(let s): push(bytes: s.bytes)
        case .table(.array(let items)):
            newTable(arrayCount: Int32(clamping: items.count))
            for (offset, item) in items.enumerated() {
                try pushUnchecked(item, depth: depth + 1)
                rawSet(-2, index: Int64(offset + 1))
            }
        case .table(.map(let entries)):
            newTable(recordCount: Int32(clamping: entries.count))
            for (key, item) in entries {
                switch key {
                case .nil: throw LuaValueError("a table key cannot be nil")
                case .number(let d) where d.isNaN: throw LuaValueError("a table key cannot be NaN")
                default: break
                }
                try pushUnchecked(key, depth: depth + 1)
                try pushUnchecked(item, depth: depth + 1)
                rawSet(-3)
            }
        case .function(.swift(let function)):
            push(function: function)
        case .function(.lua(let reference)):
            guard let state = reference.state, state === owner, !state.isClosed else {
                throw LuaValueError("a function reference belongs to another Lua state")
            }
            pushReference(reference.slot)
        case .opaque(let type):
            throw LuaValueError("a \(type.name) cannot be copied into Lua")
        }
    }

    /// Copies the value at `index` out of Lua. Tables are copied deeply; a table that contains
    /// itself is an error. Functions become references that keep them alive.
    public func value(at index: Int32) throws(LuaValueError) -> LuaValue {
        var visiting = Set<UnsafeRawPointer>()
        return try read(absolute(index), depth: 0, visiting: &visiting)
    }

    private func read(
        _ index: Int32,
        depth: Int,
        visiting: inout Set<UnsafeRawPointer>
    ) throws(LuaValueError)
        -> LuaValue
    {
        switch type(at: index) {
        case .none, .nil: return .nil
        case .boolean: return .boolean(boolean(at: index))
        case .number:
            if let i = integer(at: index) { return .integer(i) }
            return .number(float(at: index))
        case .string: return .string(LuaString(bytes: bytes(at: index) ?? []))
        case .function:
            guard let owner else { throw LuaValueError("the Lua state is closed") }
            copy(index)
            return .function(
                .lua(LuaReference(state: owner, slot: reference()))
            )
        case .table:
            guard depth < 200, reserve(4) else { throw LuaValueError("table is nested too deeply") }
            guard let pointer = pointer(at: index), visiting.insert(pointer).inserted else {
                throw LuaValueError("table contains itself")
            }
            defer { visiting.remove(pointer) }
            return .table(try readTable(index, depth: depth, visiting: &visiting))
        case .lightUserdata, .userdata, .thread:
            return .opaque(type(at: index))
        }
    }

    private func readTable(
        _ index: Int32,
        depth: Int,
        visiting: inout Set<UnsafeRawPointer>
    ) throws(LuaValueError)
        -> LuaTable
    {
        var entries: [LuaValue: LuaValue] = [:]
        pushNil()
        while next(index) {
            let key = try read(absolute(-2), depth: depth + 1, visiting: &visiting)
            let item = try read(absolute(-1), depth: depth + 1, visiting: &visiting)
            pop()
            entries[key] = item
        }
        let count = entries.count
        if count > 0 {
            var items: [LuaValue] = []
            items.reserveCapacity(count)
            for position in 1...count {
                guard let item = entries[.integer(Int64(position))] else { return .map(entries) }
                items.append(item)
            }
            return .array(items)
        }
        return .map(entries)
    }

    /// The state this stack belongs to.
    var owner: LuaState? { LuaState.owning(thread) }
}
