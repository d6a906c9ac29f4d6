import Foundation
import RefonteAPI
import RefonteSandbox

/// The paths no script may open, whatever it is granted: the API key file in use, the config
/// file and its folder (`$XDG_CONFIG_HOME/refonte/`, which holds key files too), and the
/// embedded sandbox's data folder (its database holds the sandbox's key).
enum ProtectedPaths {
    static func forRun(_ credentials: ResolvedCredentials) -> [String] {
        let configFolder = (credentials.configPath as NSString).deletingLastPathComponent
        let sandboxFolder = (SandboxConfiguration.defaultDatabasePath() as NSString).deletingLastPathComponent
        return [credentials.keyFilePath, credentials.configPath, configFolder, sandboxFolder].compactMap {
            $0
        }
    }
}
