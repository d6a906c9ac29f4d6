import Foundation
import RefonteAPI

/// The summary `refonte run --summary-out` writes: how many API calls the script made and how
/// many were writes.
struct RunSummary: Sendable, Equatable {
    var calls: Int?
    var writes: Int?

    /// nil when the file is missing or unreadable (a run killed before it could write it).
    static func read(_ path: String) -> RunSummary? {
        guard let data = FileManager.default.contents(atPath: path),
            case .object(let fields) = try? JSONValue.parse([UInt8](data))
        else { return nil }
        func number(_ key: String) -> Int? {
            if case .integer(let value) = fields[key] { return Int(value) }
            return nil
        }
        return RunSummary(calls: number("calls"), writes: number("writes"))
    }
}

extension RunOutcome {
    /// How a run's history records the way its child ended.
    init(_ ending: RunProcess.Ending, stoppedBecause: String?, summary: RunSummary?) {
        var exitCode: Int32?
        var status = RunStatus.failed
        var reason: String?
        switch ending {
        case .exited(let code):
            exitCode = code
            switch code {
            case 0: status = .succeeded
            case 1: reason = "the script raised an error (see its standard error)"
            case 2: reason = "refonte run refused its arguments (usage error; see its standard error)"
            case 3: reason = "the script exceeded a limit (--timeout or --max-memory)"
            default: reason = "refonte run exited with \(code)"
            }
        case .signalled(let signal):
            reason = "killed by signal \(signal)"
        case .couldNotStart(let message):
            reason = message
        case .stopped:
            reason = nil
        }
        if let stoppedBecause {
            status = .interrupted
            reason = stoppedBecause
        }
        self.init(
            status: status,
            reason: reason,
            exitCode: exitCode,
            calls: summary?.calls,
            writes: summary?.writes
        )
    }
}
