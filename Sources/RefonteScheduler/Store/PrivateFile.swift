import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files and folders only their owner may read: the store and run output can hold what scripts
/// printed about the account.
enum PrivateFile {
    /// Makes `path` an empty file of mode 600 unless it exists, and its folder (700) if needed.
    static func createIfMissing(_ path: String) throws(ScheduleError) {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try createFolder(folder) }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if descriptor >= 0 {
            close(descriptor)
        } else if errno != EEXIST {
            throw .store("cannot create \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Makes a folder and its missing parents, mode 700.
    static func createFolder(_ path: String) throws(ScheduleError) {
        do {
            try FileManager.default.createDirectory(
                atPath: path,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw .store("cannot create the folder \(path): \(error.localizedDescription)")
        }
    }
}
