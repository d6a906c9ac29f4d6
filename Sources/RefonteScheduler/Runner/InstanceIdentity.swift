import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who a scheduler instance is: its host, its process and a random part, so that a restarted
/// instance (same host, maybe even the same pid in a container) is a new holder.
public struct InstanceIdentity: Sendable, Hashable {
    public var id: String
    public var host: String
    public var pid: Int32
    public var processStart: Int64?

    /// This process on this host (or on `host`, when given: a name for the machine that is
    /// stable where the host name is not, such as a Kubernetes pod's).
    public static func current(host: String? = nil) -> InstanceIdentity {
        let host = host ?? ProcessProbe.hostName
        let pid = getpid()
        let random = UUID().uuidString.prefix(8).lowercased()
        return InstanceIdentity(
            id: "\(host)/\(pid)/\(random)",
            host: host,
            pid: pid,
            processStart: ProcessProbe.startTicks(of: pid)
        )
    }

    func record(leaseUntil: Date) -> InstanceRecord {
        InstanceRecord(id: id, host: host, pid: pid, processStart: processStart, leaseUntil: leaseUntil)
    }

    /// Whether `other`, an instance on this host, is certainly gone: its process no longer runs
    /// (or its pid now belongs to a later process). Instances on other hosts are judged by their
    /// lease alone.
    func knowsDead(_ other: InstanceRecord) -> Bool {
        guard other.host == host else { return false }
        if other.pid == pid, other.processStart == processStart {
            // This very process: dead unless it is one of the instances running here.
            return !LiveInstances.contains(other.id)
        }
        return !ProcessProbe.isRunning(pid: other.pid, startTicks: other.processStart)
    }
}

/// The scheduler instances running in this process.
enum LiveInstances {
    private static let ids = Mutex<Set<String>>([])

    static func insert(_ id: String) { _ = ids.withLock { $0.insert(id) } }
    static func remove(_ id: String) { _ = ids.withLock { $0.remove(id) } }
    static func contains(_ id: String) -> Bool { ids.withLock { $0.contains(id) } }
}

/// Facts about processes on this machine.
enum ProcessProbe {
    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }

    /// When the process started, in clock ticks since boot (field 22 of `/proc/PID/stat`); nil
    /// where there is no /proc or no such process.
    static func startTicks(of pid: Int32) -> Int64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // After "pid (name)", fields count from 3; the name may hold spaces and parentheses.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? Int64(fields[19]) : nil
    }

    /// Whether `pid` runs (a zombie does not) and, when `startTicks` is known, is the same
    /// process that had it.
    static func isRunning(pid: Int32, startTicks: Int64?) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) != 0, errno == ESRCH { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        if fields.first == "Z" { return false }
        guard let startTicks, fields.count > 19, let current = Int64(fields[19]) else { return true }
        return current == startTicks
    }
}
