import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The audit log: one JSON line per mutating call, applied or planned, each carrying the hash
/// of the line before it (`prev`) and of itself (`hash`), so that an edited, inserted or
/// deleted line shows (`AuditVerifier`).
///
/// Appends take an exclusive `flock` on the file and read its last line under the lock, so two
/// processes writing at once neither interleave their lines nor fork the chain. The file is
/// made with mode 0600 in a folder made with mode 0700; it holds no secret (arguments are
/// redacted), but it says who changed what.
public final class AuditLog: Sendable {
    public let path: String
    /// The open file, once a write needed it.
    private let file = Mutex<Int32?>(nil)

    public init(path: String) {
        self.path = path
    }

    deinit {
        file.withLock { descriptor in
            if let descriptor { close(descriptor) }
        }
    }

    /// `$XDG_STATE_HOME/refonte/audit.jsonl`, else `~/.local/state/refonte/audit.jsonl`.
    public static func defaultPath(
        environment: [String: String] = ProcessEnvironment.current
    ) -> String {
        UserFolder.state.path("audit.jsonl", environment: environment)
    }

    /// Opens the file for appending (creating it and its folder); called before the first
    /// write is sent, so that no write goes out that cannot be recorded.
    public func open() throws(AuditError) {
        _ = try descriptor()
    }

    /// Appends one record: `fields` plus `seq`, `prev` and `hash`. Returns the line's `seq`.
    @discardableResult
    public func append(_ fields: [String: JSONValue]) throws(AuditError) -> Int64 {
        let descriptor = try descriptor()
        // The mutex orders this process's threads; flock orders processes (it belongs to the
        // open file description, so threads sharing one descriptor would not exclude each other).
        return try file.withLock { _ throws(AuditError) -> Int64 in
            guard flock(descriptor, LOCK_EX) == 0 else { throw failure("cannot lock") }
            defer { flock(descriptor, LOCK_UN) }
            let last = AuditLine.last(in: descriptor)
            var record = fields
            let seq = (last?.seq ?? 0) + 1
            record["seq"] = .integer(seq)
            record["prev"] = .string(last?.hash ?? SHA256Digest.zero)
            var line = AuditLine.seal(record)
            if let last, !last.endsWithNewline { line.insert(0x0A, at: 0) }
            line.append(0x0A)
            guard FileDescriptorIO.writeAll(line, to: descriptor) else { throw failure("cannot write to") }
            return seq
        }
    }

    private func descriptor() throws(AuditError) -> Int32 {
        try file.withLock { descriptor throws(AuditError) -> Int32 in
            if let descriptor { return descriptor }
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
                do {
                    try FileManager.default.createDirectory(
                        atPath: folder,
                        withIntermediateDirectories: true,
                        attributes: [.posixPermissions: 0o700]
                    )
                } catch {
                    throw AuditError(
                        path: path,
                        reason: "cannot create its folder: \(error.localizedDescription)"
                    )
                }
            }
            let opened = Glibc.open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard opened >= 0 else { throw failure("cannot open") }
            descriptor = opened
            return opened
        }
    }

    private func failure(_ what: String) -> AuditError {
        AuditError(path: path, reason: "\(what) it: \(String(cString: strerror(errno)))")
    }
}

/// The audit log cannot be written; the message names the file.
public struct AuditError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "audit log \(path): \(reason)" }
}
