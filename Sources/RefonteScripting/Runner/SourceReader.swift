#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a script's bytes, without Foundation (it costs startup time).
public enum SourceReader {
    static func read(path: String) throws(ScriptFailure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw .setup("cannot read the script \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        return try readAll(descriptor, name: path)
    }

    /// A Lua file opened through the jail, refused as `dofile` would refuse it (the REPL's
    /// `.load`, whose `operation` names it in the refusal).
    public static func read(
        _ path: String,
        through jail: FileJail,
        operation: String
    ) throws(ScriptFailure) -> [UInt8] {
        let descriptor: Int32
        do {
            descriptor = try jail.open(path, flags: O_RDONLY, operation: operation)
        } catch .denied(let message) {
            throw .setup(message)
        } catch {
            throw .setup("\(operation): \(error)")
        }
        defer { close(descriptor) }
        return try readAll(descriptor, name: path)
    }

    static func readStandardInput() throws(ScriptFailure) -> [UInt8] {
        try readAll(STDIN_FILENO, name: "standard input")
    }

    private static func readAll(_ descriptor: Int32, name: String) throws(ScriptFailure) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw .setup("cannot read the script from \(name): \(String(cString: strerror(errno)))")
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return skipShebang(bytes)
    }

    /// Like lua.c, ignores a first line starting with '#' (keeping the newline, so line numbers hold).
    static func skipShebang(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.first == UInt8(ascii: "#") else { return bytes }
        guard let newline = bytes.firstIndex(of: 0x0A) else { return [] }
        return Array(bytes[newline...])
    }
}
