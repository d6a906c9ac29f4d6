#if canImport(Glibc)
import Glibc
#endif

/// Opens files for a script, only inside what it was granted, checking each file as it opens it.
///
/// The path is resolved as the kernel would (`RealPath`), then its real target is checked
/// against the grants (`--allow-read`, `--allow-write`, the script's folder) and against the
/// protected paths (credentials, `/proc`), and then the file is opened relative to the folder
/// that was checked, with `O_NOFOLLOW`. A link swapped in after the check makes the open fail
/// (and the walk is tried again), so no swap between check and open leads outside. After
/// opening, the file's identity is compared with the protected files', so a hard link to the
/// key file inside a grant is refused too.
public struct FileJail: Sendable {
    public let permissions: ScriptPermissions

    public init(permissions: ScriptPermissions) {
        self.permissions = permissions
    }

    /// What an open is for.
    public enum Access: Sendable {
        case read
        case write
        case readWrite

        var reads: Bool { self != .write }
        var writes: Bool { self != .read }
    }

    public static let maximumPathLength = Int(PATH_MAX)

    /// Opens `path` with `flags` (`O_RDONLY`, `O_WRONLY | O_CREAT | O_TRUNC`, …) and returns
    /// the descriptor, which the caller closes.
    public func open(_ path: String, flags: Int32, operation: String) throws(FileAccessError) -> Int32 {
        let access: Access =
            switch flags & O_ACCMODE {
            case O_WRONLY: .write
            case O_RDWR: .readWrite
            default: .read
            }
        try Self.checkText(path, operation: operation)
        for attempt in 1...3 {
            let target = try RealPath.resolve(path)
            try check(target.path, given: path, access: access, operation: operation)
            var openFlags = flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK
            if target.mustBeFolder { openFlags |= O_DIRECTORY }
            let descriptor = openat(target.parent, target.name ?? ".", openFlags, 0o666)
            guard descriptor >= 0 else {
                let code = errno
                // ELOOP: the name became a link after the walk; walk again and check its target.
                if code == ELOOP, attempt < 3 { continue }
                throw .system(path, code)
            }
            // Opened without blocking (a FIFO would wait for a writer); reads block as usual.
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
            if let protected = protectedFile(descriptor) {
                close(descriptor)
                throw .denied(Self.protectedMessage(operation, path, protected))
            }
            return descriptor
        }
        throw .system(path, ELOOP)
    }

    /// Nil when `operation` may read (or write) `path` as it resolves now. To use a file, call
    /// `open`, which checks as it opens.
    public func denial(_ path: String, access: Access, operation: String) -> String? {
        do {
            try Self.checkText(path, operation: operation)
            let target = try RealPath.resolve(path)
            try check(target.path, given: path, access: access, operation: operation)
            return nil
        } catch .denied(let message) {
            return message
        } catch {
            // A path that does not resolve is no grant's business: opening it will fail anyway.
            return nil
        }
    }

    // MARK: the checks

    private static func checkText(_ path: String, operation: String) throws(FileAccessError) {
        if path.utf8.contains(0) {
            throw .denied("\(operation): the path contains a NUL byte; no file has such a name")
        }
        if path.utf8.count > maximumPathLength {
            throw .denied(
                "\(operation): the path is \(path.utf8.count) bytes long, over the \(maximumPathLength) a path may have"
            )
        }
        if path.isEmpty { throw .system(path, ENOENT) }
    }

    private func check(
        _ real: String,
        given path: String,
        access: Access,
        operation: String
    ) throws(FileAccessError) {
        let leadsTo = real == path ? "" : " (it leads to \(real))"
        if access.writes, !Self.covers(permissions.writablePaths, real) {
            throw .denied(
                "\(operation): writing \(path) is not allowed\(leadsTo); run with --allow-write \(path)"
            )
        }
        if access.reads, !Self.covers(permissions.readablePaths + permissions.writablePaths, real) {
            // A relative name may mean the file of that name beside the script. Only readable
            // folders are looked in, so the message tells nothing about files outside them.
            if let beside = readableCandidate(path) {
                throw .denied(
                    "\(operation): reading \(path) is not allowed\(leadsTo): a relative path is taken from the "
                        + "folder refonte runs in, \(Self.workingFolder); the file the script may read is \(beside), "
                        + "so pass that path (or run with --allow-read \(path) if you meant this one)"
                )
            }
            throw .denied(
                "\(operation): reading \(path) is not allowed\(leadsTo); run with --allow-read \(path)"
            )
        }
        for protected in permissions.allProtectedPaths {
            let root = Self.realPath(protected)
            if real == root || real.hasPrefix(root == "/" ? "/" : root + "/") {
                throw .denied(Self.protectedMessage(operation, path, protected))
            }
        }
    }

    private static func protectedMessage(_ operation: String, _ path: String, _ protected: String) -> String {
        "\(operation): \(path) is off limits to scripts whatever they are granted: "
            + (protected == "/proc"
                ? "/proc holds the environment and memory of processes, the API key's among them"
                : "\(protected) holds credentials (the API key or the config that names it)")
    }

    /// The protected path whose file `descriptor` is (the same file by device and inode, so
    /// a hard link or a bind mount of it too), if any.
    private func protectedFile(_ descriptor: Int32) -> String? {
        var opened = stat()
        guard fstat(descriptor, &opened) == 0 else { return nil }
        for protected in permissions.allProtectedPaths {
            var info = stat()
            if stat(protected, &info) == 0, info.st_dev == opened.st_dev, info.st_ino == opened.st_ino {
                return protected
            }
        }
        return nil
    }

    /// For a relative path that does not exist: where it was looked for, and the readable
    /// folder (the script's own, a grant) that holds a file of that name, which is most
    /// likely what the script meant (`csv.read("labelers.csv")` beside the script, run from
    /// elsewhere).
    public func missingFileHint(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return "" }
        var hint = " (a relative path is taken from the folder refonte runs in, \(Self.workingFolder)"
        if let beside = readableCandidate(path) { hint += "; the file is at \(beside): pass that path" }
        return hint + ")"
    }

    /// `folder/path` for the first readable folder (the script's own, a grant) that holds a
    /// readable file at the relative `path`.
    func readableCandidate(_ path: String) -> String? {
        guard !path.hasPrefix("/") else { return nil }
        for root in permissions.readablePaths + permissions.writablePaths where root != "." {
            let candidate = (root.hasSuffix("/") ? root : root + "/") + path
            if denial(candidate, access: .read, operation: "") == nil, access(candidate, R_OK) == 0 {
                return candidate
            }
        }
        return nil
    }

    static var workingFolder: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(
            decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) },
            as: UTF8.self
        )
    }

    static func covers(_ roots: [String], _ real: String) -> Bool {
        roots.contains { root in
            let root = realPath(root)
            return real == root || root == "/" || real.hasPrefix(root + "/")
        }
    }

    /// The real path of a grant or a protected path, which may not exist (yet).
    static func realPath(_ path: String) -> String {
        guard !path.isEmpty, !path.utf8.contains(0),
            let resolved = try? RealPath.resolve(path, missingTail: true)
        else { return path }
        return resolved.path
    }
}
