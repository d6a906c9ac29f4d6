import Foundation
import Logging
import RefonteAPI

/// Where schedules and their history live: `--store`, else `REFONTE_SCHEDULER_STORE`, else
/// `$XDG_DATA_HOME/refonte/scheduler.sqlite`.
public enum StoreLocation: Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    public static let environmentVariable = "REFONTE_SCHEDULER_STORE"
    public static let forms =
        "a SQLite file path, or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require|verify-full]"

    /// Reads `--store` (or, when it is nil, the environment).
    public static func parse(
        _ flag: String?,
        environment: [String: String] = ProcessEnvironment.current,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws(ScheduleError) -> StoreLocation {
        let source = flag != nil ? "--store" : environmentVariable
        guard let text = flag ?? environment[environmentVariable].flatMap({ $0.isEmpty ? nil : $0 }) else {
            return .sqlite(path: defaultSQLitePath(environment: environment))
        }
        guard !text.isEmpty else { throw .usage("--store: expected \(forms), got an empty string") }
        let lower = text.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            return .postgres(try PostgresLocation.parse(text, source: source, environment: environment))
        }
        var path = text
        if lower.hasPrefix("sqlite://") {
            path = String(text.dropFirst("sqlite://".count))
        } else if lower.hasPrefix("sqlite:") {
            path = String(text.dropFirst("sqlite:".count))
        } else if let scheme = text.range(of: "://") {
            throw .usage(
                "\(source) \(text[..<scheme.lowerBound])://…: unsupported store; expected \(forms)"
            )
        }
        guard !path.isEmpty else {
            throw .usage("\(source) \(text): the SQLite path is empty; expected \(forms)")
        }
        if !path.hasPrefix("/") { path = currentDirectory + "/" + path }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw .usage(
                "\(source) \(path) is a folder; give the path of a SQLite file in it, e.g. \(path)/scheduler.sqlite"
            )
        }
        return .sqlite(path: path)
    }

    /// `$XDG_DATA_HOME/refonte`, or `~/.local/share/refonte`: where refonte keeps its data.
    public static func dataDirectory(
        environment: [String: String] = ProcessEnvironment.current
    ) -> String {
        UserFolder.data.path(environment: environment)
    }

    public static func defaultSQLitePath(
        environment: [String: String] = ProcessEnvironment.current
    ) -> String {
        dataDirectory(environment: environment) + "/scheduler.sqlite"
    }

    /// Where a scheduler on this machine keeps run output by default: `…/refonte/runs`.
    public static func defaultRunsDirectory(
        environment: [String: String] = ProcessEnvironment.current
    ) -> String {
        dataDirectory(environment: environment) + "/runs"
    }

    /// Opens the store, creating its tables on first use.
    public func open(logger: Logger) async throws(ScheduleError) -> any ScheduleStore {
        switch self {
        case .sqlite(let path): try SQLiteScheduleStore(path: path, logger: logger)
        case .postgres(let location): try await PostgresScheduleStore.open(location, logger: logger)
        }
    }

    /// For messages: the SQLite path, or the PostgreSQL URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.description
        }
    }
}
