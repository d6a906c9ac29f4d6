import Foundation

extension SandboxConfiguration {
    /// `$XDG_DATA_HOME/refonte/sandbox.sqlite`, or `~/.local/share/refonte/sandbox.sqlite`: where
    /// `refonte sandbox` and the embedded sandbox keep their data unless told otherwise.
    public static func defaultDatabasePath(
        environment: [String: String] = ProcessInfo.processInfo.environment
    )
        -> String
    {
        let base: String
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else {
            base = (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        }
        return base + "/refonte/sandbox.sqlite"
    }
}
