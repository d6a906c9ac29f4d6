import Foundation

/// Where runs' output is kept on this host: `RUNS/STORE-ID/SCHEDULE/RUN-ID/` holding `stdout`,
/// `stderr` and `summary.json`. The store's id keeps two stores' runs apart, so cleaning up one
/// never touches the other's.
struct RunOutputFolders: Sendable {
    var root: String
    var storeID: String

    func folder(schedule: String) -> String { "\(root)/\(storeID)/\(schedule)" }
    func folder(schedule: String, run: Int64) -> String { "\(folder(schedule: schedule))/\(run)" }

    func files(schedule: String, run: Int64) -> RunProcess.Files {
        let base = folder(schedule: schedule, run: run)
        return RunProcess.Files(
            standardOutput: base + "/stdout",
            standardError: base + "/stderr",
            summary: base + "/summary.json"
        )
    }

    func create(schedule: String, run: Int64) throws(ScheduleError) {
        try PrivateFile.createFolder(folder(schedule: schedule, run: run))
    }

    func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The run folders of a schedule on this host. List them before asking the store which runs
    /// it keeps: a folder is made after its run's record, so a folder listed first whose run the
    /// store lacks belongs to a run deleted since.
    func runFolders(schedule: String) -> [Int64] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder(schedule: schedule))) ?? []
        return entries.compactMap { Int64($0) }
    }

    /// The schedule folders on this host (list them before reading the store's schedules).
    func scheduleFolders() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(storeID)")) ?? []
    }

    func removeRun(schedule: String, run: Int64) { remove(folder(schedule: schedule, run: run)) }
    func removeSchedule(_ schedule: String) { remove(folder(schedule: schedule)) }
}
