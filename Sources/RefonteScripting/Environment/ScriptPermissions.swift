#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a script may touch beyond itself: files to read or write, environment variables.
///
/// Granting a folder grants everything under it. Paths are compared after resolving symbolic
/// links, so a link cannot lead a script outside what it was given.
public struct ScriptPermissions: Sendable, Equatable {
    public var readablePaths: [String]
    public var writablePaths: [String]
    public var environmentNames: Set<String>

    public init(
        readablePaths: [String] = [],
        writablePaths: [String] = [],
        environmentNames: Set<String> = []
    ) {
        self.readablePaths = readablePaths
        self.writablePaths = writablePaths
        self.environmentNames = environmentNames
    }

    /// Nil when `operation` may read `path`; otherwise the message of the error to raise.
    public func denialToRead(_ path: String, operation: String) -> String? {
        Self.covers(readablePaths + writablePaths, path)
            ? nil : "\(operation): reading \(path) is not allowed; run with --allow-read \(path)"
    }

    public func denialToWrite(_ path: String, operation: String) -> String? {
        Self.covers(writablePaths, path)
            ? nil : "\(operation): writing \(path) is not allowed; run with --allow-write \(path)"
    }

    public func denialToReadEnvironment(_ name: String, operation: String) -> String? {
        environmentNames.contains(name)
            ? nil
            : "\(operation): reading the environment variable \(name) is not allowed; run with --allow-env \(name)"
    }

    static func covers(_ roots: [String], _ path: String) -> Bool {
        let target = CanonicalPath.resolve(path)
        return roots.contains { root in
            let root = CanonicalPath.resolve(root)
            return target == root || root == "/" || target.hasPrefix(root + "/")
        }
    }
}

/// Absolute paths with symbolic links, "." and ".." resolved (as far as the path exists).
enum CanonicalPath {
    static func resolve(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : currentDirectory() + "/" + path
        if let real = realPath(absolute) { return real }
        // A file that does not exist yet: resolve its folder, keep its name.
        var parts = lexical(absolute).split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var tail: [String] = []
        while !parts.isEmpty {
            tail.insert(parts.removeLast(), at: 0)
            if let real = realPath("/" + parts.joined(separator: "/")) {
                return (real == "/" ? "" : real) + "/" + tail.joined(separator: "/")
            }
        }
        return lexical(absolute)
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func lexical(_ path: String) -> String {
        var out: [Substring] = []
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": _ = out.popLast()
            default: out.append(part)
            }
        }
        return "/" + out.joined(separator: "/")
    }

    static func currentDirectory() -> String {
        guard let cwd = getcwd(nil, 0) else { return "/" }
        defer { free(cwd) }
        return String(cString: cwd)
    }
}
