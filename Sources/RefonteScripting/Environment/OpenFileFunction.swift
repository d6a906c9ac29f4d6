import LuaRuntime

#if canImport(Glibc)
import Glibc
#endif

/// `open_file(operation, path, mode)`, the one way the sandbox's `io`, `loadfile`, `dofile`
/// and `require` open a file: through the jail, as a Lua file handle. Returns the handle; or
/// nil, the system's message and errno (as `io.open` does); or false and the jail's refusal,
/// which the Lua side raises at the script's line.
enum OpenFileFunction {
    static func make(_ jail: FileJail) -> LuaSwiftFunction {
        LuaSwiftFunction("open_file") { call in
            let operation = try call.string(1, "operation")
            let path: String
            do {
                path = try pathArgument(call)
            } catch let error as FileAccessError {
                call.stack.reserve(2)
                call.stack.push(false)
                call.stack.push("\(operation): \(error)")
                return .results(2)
            }
            let mode = try call.string(3, "mode")
            guard let flags = flags(of: mode) else {
                let problem = LuaArgumentError(
                    position: 2,
                    label: "mode",
                    expected: "\"r\", \"w\", \"a\", \"r+\", \"w+\" or \"a+\", with an optional \"b\"",
                    got: "\"\(mode.prefix(20))\""
                )
                call.stack.reserve(2)
                call.stack.push(false)
                call.stack.push("\(operation): \(problem)")
                return .results(2)
            }
            call.stack.reserve(3)
            let descriptor: Int32
            do throws(FileAccessError) {
                descriptor = try jail.open(path, flags: flags, operation: operation)
            } catch .denied(let message) {
                call.stack.push(false)
                call.stack.push(message)
                return .results(2)
            } catch .system(let path, let code) {
                call.stack.pushNil()
                call.stack.push(FileAccessError.system(path, code).description)
                call.stack.push(Int64(code))
                return .results(3)
            }
            guard let file = fdopen(descriptor, mode) else {
                let code = errno
                close(descriptor)
                call.stack.pushNil()
                call.stack.push(FileAccessError.system(path, code).description)
                call.stack.push(Int64(code))
                return .results(3)
            }
            call.stack.push(file: file)
            return .results(1)
        }
    }

    /// The path argument (#2), refused before it is copied when it is longer than any path.
    static func pathArgument(_ call: LuaCall, position: Int32 = 2) throws -> String {
        guard call.type(position) == .string else {
            throw call.mismatch(position, "path", expected: "a string")
        }
        let length = call.stack.withBytes(at: position) { $0.count } ?? 0
        guard length <= FileJail.maximumPathLength else {
            throw FileAccessError.denied(
                "the path is \(length) bytes long, over the \(FileJail.maximumPathLength) a path may have"
            )
        }
        let bytes = call.stack.bytes(at: position) ?? []
        guard let path = String(validating: bytes, as: UTF8.self) else {
            throw FileAccessError.denied("the path is not valid UTF-8")
        }
        return path
    }

    /// `open(2)` flags for a C `fopen` mode, or nil when the mode is not one.
    static func flags(of mode: String) -> Int32? {
        var rest = Substring(mode)
        guard let first = rest.popFirst() else { return nil }
        let plus = rest.first == "+"
        if plus { rest = rest.dropFirst() }
        guard rest.allSatisfy({ $0 == "b" }) else { return nil }
        switch (first, plus) {
        case ("r", false): return O_RDONLY
        case ("r", true): return O_RDWR
        case ("w", false): return O_WRONLY | O_CREAT | O_TRUNC
        case ("w", true): return O_RDWR | O_CREAT | O_TRUNC
        case ("a", false): return O_WRONLY | O_CREAT | O_APPEND
        case ("a", true): return O_RDWR | O_CREAT | O_APPEND
        default: return nil
        }
    }
}
