/// Keeps a Lua value (usually a function) alive in the registry while Swift holds it.
public final class LuaReference: Hashable {
    weak var state: LuaState?
    let slot: Int32

    init(state: LuaState, slot: Int32) {
        self.state = state
        self.slot = slot
    }

    deinit {
        // The state may be gone already (closed with its registry) or busy on this thread; the
        // unref is a raw table write, so it is safe whenever the state is still open.
        if let state, !state.isClosed {
            state.stack.releaseReference(slot)
        }
    }

    public static func == (a: LuaReference, b: LuaReference) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
