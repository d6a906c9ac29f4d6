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

    /// The sandbox that runs when no API key is configured: demo data in the persistent
    /// database at `defaultDatabasePath()`, on an ephemeral loopback port.
    public static func localDefault(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> SandboxConfiguration {
        SandboxConfiguration(
            database: .file(path: defaultDatabasePath(environment: environment)),
            seed: .demo
        )
    }
}
