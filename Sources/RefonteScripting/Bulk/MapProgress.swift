/// Where `refonte.map` reports how far it has got. `refonte run` draws it on standard error
/// (`--progress`); a host that shows none passes `SilentProgress`.
///
/// The map calls these from the script's thread, once per finished item, so an implementation
/// only records the counts and draws at its own pace.
public protocol MapProgress: Sendable {
    /// A map of `total` items starts; returns the handle its other reports carry.
    func started(total: Int, label: String) -> Int
    /// `done` items of the map have finished, `failed` of them with an error.
    func advanced(_ map: Int, done: Int, failed: Int)
    /// The map returns: `done` items ran (`failed` of them failed), the rest never started.
    func finished(_ map: Int, done: Int, failed: Int)
    /// Whether the script's standard output reaches the terminal the progress is drawn on, so
    /// that `print` must clear it first (`hideForOutput`) and draw it again after (`showAfterOutput`).
    var sharesTerminalWithOutput: Bool { get }
    func hideForOutput()
    func showAfterOutput()
}

/// No progress shown (tests, the REPL, `--progress off`).
public struct SilentProgress: MapProgress {
    public init() {}
    public func started(total: Int, label: String) -> Int { 0 }
    public func advanced(_ map: Int, done: Int, failed: Int) {}
    public func finished(_ map: Int, done: Int, failed: Int) {}
    public var sharesTerminalWithOutput: Bool { false }
    public func hideForOutput() {}
    public func showAfterOutput() {}
}
