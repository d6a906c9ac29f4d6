import Foundation
import RefonteAPI

extension SandboxConfiguration {
    /// `$XDG_DATA_HOME/refonte/sandbox.sqlite`, or `~/.local/share/refonte/sandbox.sqlite`: where
    /// `refonte sandbox` and the embedded sandbox keep their data unless told otherwise.
    public static func defaultDatabasePath(
        environment: [String: String] = ProcessEnvironment.current
    )
        -> String
    {
        UserFolder.data.path("sandbox.sqlite", environment: environment)
    }

    /// The sandbox that runs when no API key is configured: demo data in the persistent
    /// database at `defaultDatabasePath()`, on an ephemeral loopback port.
    public static func localDefault(
        environment: [String: String] = ProcessEnvironment.current
    ) -> SandboxConfiguration {
        SandboxConfiguration(
            database: .file(path: defaultDatabasePath(environment: environment)),
            seed: .demo
        )
    }
}
