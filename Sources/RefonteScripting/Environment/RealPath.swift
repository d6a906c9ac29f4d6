#if canImport(Glibc)
import Glibc
#endif

/// A path resolved the way the kernel resolves it, one component at a time from an open
/// folder, with every symbolic link read and followed by hand.
///
/// Nothing is folded lexically: `dirlink/..` is the parent of where `dirlink` leads, as the
/// kernel sees it. The folder that holds the target stays open (`parent`), so the file is then
/// opened relative to it, with `O_NOFOLLOW`: a link put in place of a checked component after
/// the walk makes the open fail instead of leading elsewhere.
struct RealPath: ~Copyable {
    /// An `O_PATH` descriptor of the folder that holds the target.
    let parent: Int32
    /// The real path of that folder.
    let folder: String
    /// The target's name in `parent`; nil when the path names the folder itself.
    let name: String?
    /// The path ended with "/": the target must be a folder.
    let mustBeFolder: Bool

    /// The real path of the target (it may not exist yet).
    var path: String {
        guard let name else { return folder }
        return folder == "/" ? "/" + name : folder + "/" + name
    }

    deinit { close(parent) }

    static let maximumLinks = 40

    /// Linux's O_PATH (Glibc shows it only under _GNU_SOURCE): a descriptor to walk from, which
    /// needs no read permission on the folder.
    static let pathOnly: Int32 = 0o10_000_000

    /// Resolves `path` (relative to the working folder unless absolute). With `missingTail`,
    /// components after the first that does not exist are appended as they are (they cannot
    /// be links); otherwise only the last component may be missing.
    static func resolve(_ path: String, missingTail: Bool = false) throws(FileAccessError) -> RealPath {
        var pending: [Substring] = []
        let absolute = path.hasPrefix("/") ? path : workingFolder() + "/" + path
        pending = absolute.split(separator: "/").reversed()
        var folders: [(descriptor: Int32, name: String)] = []
        func closeAll() { for folder in folders { close(folder.descriptor) } }
        let root = open("/", pathOnly | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { throw .system(path, errno) }
        folders.append((root, ""))
        var links = 0
        var missing: [String] = []
        while let part = pending.popLast() {
            if part == "." || part.isEmpty { continue }
            if !missing.isEmpty {
                // Below a folder that does not exist nothing can be a link, so ".." is exact.
                if part == ".." { _ = missing.popLast() } else { missing.append(String(part)) }
                continue
            }
            if part == ".." {
                if folders.count > 1 { close(folders.removeLast().descriptor) }
                continue
            }
            let name = String(part)
            let at = folders[folders.count - 1].descriptor
            var info = stat()
            guard fstatat(at, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                let code = errno
                if code == ENOENT, missingTail {
                    missing.append(name)
                    continue
                }
                if code == ENOENT, pending.allSatisfy({ $0 == "." || $0.isEmpty }) {
                    return RealPath(folders: folders, name: name, mustBeFolder: path.hasSuffix("/"))
                }
                closeAll()
                throw .system(path, code)
            }
            if info.st_mode & S_IFMT == S_IFLNK {
                links += 1
                guard links <= maximumLinks, let target = readLink(at, name) else {
                    closeAll()
                    throw .system(path, links > maximumLinks ? ELOOP : errno)
                }
                if target.hasPrefix("/") {
                    for folder in folders.dropFirst() { close(folder.descriptor) }
                    folders.removeLast(folders.count - 1)
                }
                pending.append(contentsOf: target.split(separator: "/").reversed())
                continue
            }
            let isLast = pending.allSatisfy { $0 == "." || $0.isEmpty }
            if isLast {
                return RealPath(folders: folders, name: name, mustBeFolder: path.hasSuffix("/"))
            }
            guard info.st_mode & S_IFMT == S_IFDIR else {
                closeAll()
                throw .system(path, ENOTDIR)
            }
            let descriptor = openat(at, name, pathOnly | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard descriptor >= 0 else {
                let code = errno
                closeAll()
                // It was a folder a moment ago: something swapped it, perhaps for a link.
                throw .system(path, code)
            }
            folders.append((descriptor, name))
        }
        if !missing.isEmpty {
            let last = missing.removeLast()
            let base = folders.count == 1 ? "" : folders.dropFirst().map(\.name).joined(separator: "/")
            let folder =
                missing.isEmpty ? nil : "/" + ([base].filter { !$0.isEmpty } + missing).joined(separator: "/")
            if let folder {
                // Only the path matters for a folder that does not exist (a grant, say).
                for entry in folders.dropFirst() { close(entry.descriptor) }
                let root = folders[0].descriptor
                return RealPath(parent: root, folder: folder, name: last, mustBeFolder: false)
            }
            return RealPath(folders: folders, name: last, mustBeFolder: false)
        }
        // The path names a folder ("/", "a/..", "a/."): the target is the innermost one.
        if folders.count == 1 { return RealPath(parent: root, folder: "/", name: nil, mustBeFolder: true) }
        return RealPath(folders: folders, name: nil, mustBeFolder: true)
    }

    private init(parent: Int32, folder: String, name: String?, mustBeFolder: Bool) {
        self.parent = parent
        self.folder = folder
        self.name = name
        self.mustBeFolder = mustBeFolder
    }

    /// Keeps the innermost folder open and closes the others.
    private init(folders: [(descriptor: Int32, name: String)], name: String?, mustBeFolder: Bool) {
        for folder in folders.dropLast() { close(folder.descriptor) }
        let names = folders.dropFirst().map(\.name)
        self.init(
            parent: folders[folders.count - 1].descriptor,
            folder: "/" + names.joined(separator: "/"),
            name: name,
            mustBeFolder: mustBeFolder
        )
    }

    private static func readLink(_ folder: Int32, _ name: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlinkat(folder, name, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func workingFolder() -> String {
        guard let cwd = getcwd(nil, 0) else { return "/" }
        defer { free(cwd) }
        return String(cString: cwd)
    }
}
