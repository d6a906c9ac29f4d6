import Foundation

/// The XDG base directories that refonte keeps its files in, each with a `refonte` folder of
/// its own. One lookup for every file: the configuration, the databases, the audit log and the
/// REPL's history.
public enum UserFolder: Sendable {
    /// `$XDG_CONFIG_HOME`, else `~/.config`: config.toml and key files.
    case config
    /// `$XDG_DATA_HOME`, else `~/.local/share`: the sandbox's and the scheduler's databases.
    case data
    /// `$XDG_STATE_HOME`, else `~/.local/state`: the audit log and the REPL's history.
    case state

    /// `<base>/refonte/<name>`, or the `refonte` folder itself when `name` is empty.
    public func path(
        _ name: String = "",
        environment: [String: String] = ProcessEnvironment.current
    ) -> String {
        let folder = Self.join(base(environment), "refonte")
        return name.isEmpty ? folder : Self.join(folder, name)
    }

    private func base(_ environment: [String: String]) -> String {
        let (variable, fallback) =
            switch self {
            case .config: ("XDG_CONFIG_HOME", ".config")
            case .data: ("XDG_DATA_HOME", ".local/share")
            case .state: ("XDG_STATE_HOME", ".local/state")
            }
        // The XDG spec says to ignore a relative value.
        if let value = environment[variable], value.hasPrefix("/") { return value }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return Self.join(home, fallback)
    }

    private static func join(_ directory: String, _ path: String) -> String {
        directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }
}
