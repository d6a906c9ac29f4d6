import Foundation
import RefonteAPI
import RefonteScripting

/// `refonte run --summary-out PATH`: one JSON object saying how the run ended, written when the
/// script has ended (the scheduler reads it into a run's history):
/// `{"exit_code": 0, "calls": 12, "writes": 3, "seconds": 1.42}`.
enum RunSummaryFile {
    static func write(to path: String, exitCode: Int32, counts: APIConnection.CallCounts, seconds: Double) {
        let summary = JSONValue.object([
            "exit_code": .integer(Int64(exitCode)),
            "calls": .integer(Int64(counts.calls)),
            "writes": .integer(Int64(counts.writes)),
            "seconds": .double((seconds * 1000).rounded() / 1000),
        ])
        let created = FileManager.default.createFile(
            atPath: path,
            contents: Data(summary.encoded() + [0x0A]),
            attributes: [.posixPermissions: 0o600]
        )
        if !created { Run.report("--summary-out \(path): cannot write the summary there") }
    }
}
