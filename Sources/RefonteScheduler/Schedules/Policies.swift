/// What happens when a schedule fires while an earlier run of it has not finished
/// (Kubernetes CronJob's concurrency policy).
public enum OverlapPolicy: String, CaseIterable, Sendable, Hashable {
    /// The new fire is skipped, and the skip is recorded in the history.
    case forbid
    /// The new run starts beside the running one.
    case allow
    /// The running run is cut short (recorded `interrupted`) and the new one starts once it
    /// has stopped.
    case replace

    public static let choices = allCases.map(\.rawValue).joined(separator: ", ")
}

/// What happens to fires that came due while no scheduler was running (systemd's
/// `Persistent=`), within the catch-up window.
public enum CatchUpPolicy: String, CaseIterable, Sendable, Hashable {
    /// Missed fires are recorded as `missed` and never run.
    case none
    /// The latest missed fire runs once, unless a fire is due now anyway.
    case once
    /// Every missed fire runs, one after another, oldest first.
    case all

    public static let choices = allCases.map(\.rawValue).joined(separator: ", ")
}
