#if canImport(Glibc)
import Glibc

/// What a child started with `posix_spawn` keeps of this process: its standard streams only.
///
/// A test process holds hundreds of descriptors at once (other tests' sandboxes, sockets and
/// pipes), and `posix_spawn` passes every one that lacks close-on-exec to the child. A child
/// holding the write end of another test's pipe keeps that test from seeing the end of its
/// output until the child exits.
public enum SpawnActions {
    /// Adds "close every descriptor from 3 up" to `actions` (after its opens and dup2s).
    public static func closeInherited(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>) {
        // glibc 2.34 has it, but Swift's Glibc module does not show it.
        guard let closeFrom = closeFromFunction else {
            fatalError("posix_spawn_file_actions_addclosefrom_np is missing: glibc 2.34 or later is needed")
        }
        let status = closeFrom(actions, 3)
        precondition(
            status == 0,
            "posix_spawn_file_actions_addclosefrom_np: \(String(cString: strerror(status)))"
        )
    }

    private typealias CloseFrom =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    private static let closeFromFunction: CloseFrom? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()
}
#endif
