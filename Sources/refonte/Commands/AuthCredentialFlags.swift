import ArgumentParser
import RefonteAPI

/// The flags every command that talks to the API shares (`@OptionGroup var credentials`).
struct CredentialFlags: ParsableArguments {
    @Option(
        name: .long,
        help: "Use this profile of the config file (default: REFONTE_PROFILE, else \"default\")."
    )
    var profile: String?

    @Option(
        name: .customLong("api-key-file"),
        help: ArgumentHelp(
            "Read the API key from this file (mode 600); overrides REFONTE_API_KEY.",
            valueName: "path"
        )
    )
    var apiKeyFile: String?

    @Option(
        name: .customLong("base-url"),
        help: ArgumentHelp("Send requests here instead of https://api.refonte.com/v1.", valueName: "url")
    )
    var baseURL: String?

    var options: CredentialOptions {
        CredentialOptions(apiKeyFile: apiKeyFile, profile: profile, baseURL: baseURL)
    }

    func validate() throws { try Self.validate(options) }

    static func validate(_ options: CredentialOptions) throws {
        if let profile = options.profile, profile.isEmpty {
            throw ValidationError("--profile: expected a profile name, got an empty string")
        }
        if let apiKeyFile = options.apiKeyFile, apiKeyFile.isEmpty {
            throw ValidationError("--api-key-file: expected a path, got an empty string")
        }
    }
}
