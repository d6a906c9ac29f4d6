import Foundation
import Logging
import Testing

@testable import RefonteAPI

/// Where the key, base URL and limits come from. Every test builds its own XDG_CONFIG_HOME
/// and passes the environment as a dictionary; the process environment is never touched.
@Suite final class CredentialsResolverTests {
    let directory: TempDirectory
    let environment: [String: String]

    init() throws {
        directory = try TempDirectory()
        environment = ["XDG_CONFIG_HOME": directory.path + "/xdg", "HOME": directory.path + "/home"]
    }

    deinit { directory.remove() }

    func resolve(
        _ options: CredentialOptions = CredentialOptions(),
        extra: [String: String] = [:]
    ) throws(CredentialsError) -> ResolvedCredentials {
        try CredentialResolver.resolve(
            options,
            environment: environment.merging(extra) { $1 },
            logger: LogCapture().logger()
        )
    }

    func writeConfig(_ text: String, mode: Int = 0o600) throws {
        try directory.write("xdg/refonte/config.toml", text, mode: mode)
    }

    static let config = """
        # two accounts
        [profiles.default]
        api_key_file = "default.key"
        rate_limit = "600/m"

        [profiles.prod]
        api_key = "live_prodprodprod1234"
        base_url = "https://eu.api.refonte.com/v1"
        timeout = "30s"
        rate_limit = "off"
        """

    @Test func noKeyAnywhereMeansSandbox() throws {
        let resolved = try resolve()
        #expect(resolved.source == .none)
        #expect(resolved.apiKey == nil)
        #expect(resolved.baseURL.absoluteString == "https://api.refonte.com/v1")
        #expect(resolved.baseURLSource == "default")
        #expect(resolved.profile == nil)
        #expect(resolved.configPath == directory.path + "/xdg/refonte/config.toml")
        #expect(resolved.rateLimit == RateLimit.standard)
        #expect(resolved.timeout == .seconds(60))
        #expect(resolved.clientConfiguration() == nil)
    }

    @Test func flagBeatsEnvironmentBeatsProfile() throws {
        try writeConfig(Self.config)
        try directory.write("xdg/refonte/default.key", "test_fromprofile12345\n")
        let flagFile = try directory.write("flag.key", "test_fromflag1234567\n")
        let env = ["REFONTE_API_KEY": "test_fromenv12345678"]

        let fromFlag = try resolve(CredentialOptions(apiKeyFile: flagFile), extra: env)
        #expect(fromFlag.source == .flag(path: flagFile))
        #expect(fromFlag.apiKey == (try APIKey("test_fromflag1234567")))

        let fromEnv = try resolve(extra: env)
        #expect(fromEnv.source == .environment(variable: "REFONTE_API_KEY"))
        #expect(fromEnv.apiKey == (try APIKey("test_fromenv12345678")))

        let fromProfile = try resolve()
        #expect(fromProfile.source == .profile(name: "default", configPath: fromProfile.configPath))
        #expect(fromProfile.apiKey == (try APIKey("test_fromprofile12345")))
        #expect(fromProfile.profile == "default")
        #expect(fromProfile.rateLimit == RateLimit(perSecond: 10, burst: 10))
    }

    @Test func profileSettingsApplyWhenTheKeyComesFromElsewhere() throws {
        try writeConfig(Self.config)
        let resolved = try resolve(
            CredentialOptions(profile: "prod"),
            extra: ["REFONTE_API_KEY": "test_fromenv12345678"]
        )
        #expect(resolved.source == .environment(variable: "REFONTE_API_KEY"))
        #expect(resolved.profile == "prod")
        #expect(resolved.baseURL.absoluteString == "https://eu.api.refonte.com/v1")
        #expect(resolved.timeout == .seconds(30))
        #expect(resolved.rateLimit == nil)
    }

    @Test func profileFlagBeatsProfileEnvironmentBeatsDefault() throws {
        try writeConfig(Self.config + "\n[profiles.staging]\napi_key = \"test_staging12345678\"\n")
        try directory.write("xdg/refonte/default.key", "test_fromprofile12345")
        #expect(try resolve(extra: ["REFONTE_PROFILE": "staging"]).profile == "staging")
        let flagged = try resolve(CredentialOptions(profile: "prod"), extra: ["REFONTE_PROFILE": "staging"])
        #expect(flagged.profile == "prod")
        #expect(flagged.apiKey?.mode == .live)
        #expect(try resolve().profile == "default")
    }

    @Test func baseURLFlagBeatsEnvironmentBeatsProfile() throws {
        try writeConfig(Self.config)
        let env = ["REFONTE_BASE_URL": "http://127.0.0.1:9000/v1"]
        let options = CredentialOptions(profile: "prod", baseURL: "http://localhost:8080/v1")
        let fromFlag = try resolve(options, extra: env)
        #expect(fromFlag.baseURL.absoluteString == "http://localhost:8080/v1")
        #expect(fromFlag.baseURLSource == "--base-url")
        let fromEnv = try resolve(CredentialOptions(profile: "prod"), extra: env)
        #expect(fromEnv.baseURL.absoluteString == "http://127.0.0.1:9000/v1")
        #expect(fromEnv.baseURLSource == "REFONTE_BASE_URL")
        let fromProfile = try resolve(CredentialOptions(profile: "prod"))
        #expect(fromProfile.baseURLSource == "profile \"prod\"")
    }

    @Test func configDefaultsToHomeWithoutXDG() {
        let path = CredentialResolver.configFilePath(environment: ["HOME": "/home/me"])
        #expect(path == "/home/me/.config/refonte/config.toml")
        let relative = CredentialResolver.configFilePath(environment: [
            "HOME": "/home/me", "XDG_CONFIG_HOME": "rel",
        ])
        #expect(relative == "/home/me/.config/refonte/config.toml")
    }

    @Test func apiKeyFileUnderHome() throws {
        try writeConfig("[profiles.default]\napi_key_file = \"~/keys/refonte\"\n")
        try directory.write("home/keys/refonte", "test_inhome123456789")
        let resolved = try resolve()
        #expect(resolved.apiKey == (try APIKey("test_inhome123456789")))
    }

    @Test func unknownProfileListsTheKnownOnes() throws {
        try writeConfig(Self.config)
        let error = try failure { () throws(CredentialsError) in
            try resolve(CredentialOptions(profile: "prdo"))
        }
        #expect(error.kind == .usage)
        #expect(error.message.contains("unknown profile \"prdo\" (from --profile)"))
        #expect(error.message.contains("default, prod"))

        let fromEnv = try failure { () throws(CredentialsError) in
            try resolve(extra: ["REFONTE_PROFILE": "nope"])
        }
        #expect(fromEnv.kind == .configuration)
        #expect(fromEnv.message.contains("(from REFONTE_PROFILE)"))
    }

    @Test func unknownProfileWithoutAConfigFileSaysSo() throws {
        let error = try failure { () throws(CredentialsError) in
            try resolve(CredentialOptions(profile: "prod"))
        }
        #expect(
            error.message.contains("there is no config file at \(directory.path)/xdg/refonte/config.toml")
        )
    }

    @Test func badFlagValuesAreUsageErrors() throws {
        let error = try failure { () throws(CredentialsError) in
            try resolve(CredentialOptions(baseURL: "api.refonte.com"))
        }
        #expect(error.kind == .usage)
        #expect(
            error.message
                == "--base-url: expected an http:// or https:// URL like https://api.refonte.com/v1, got \"api.refonte.com\""
        )
    }

    @Test func badEnvironmentValuesNameTheVariable() throws {
        let key = try failure { () throws(CredentialsError) in
            try resolve(extra: ["REFONTE_API_KEY": "test_has space"])
        }
        #expect(key.message.contains("environment variable REFONTE_API_KEY: not a valid API key"))
        #expect(!key.message.contains("test_has"))
        let url = try failure { () throws(CredentialsError) in
            try resolve(extra: ["REFONTE_BASE_URL": "ftp://x/v1"])
        }
        #expect(url.message.contains("environment variable REFONTE_BASE_URL"))
    }

    @Test func missingOrMalformedKeyFiles() throws {
        let missing = try failure { () throws(CredentialsError) in
            try resolve(CredentialOptions(apiKeyFile: directory.path + "/absent.key"))
        }
        #expect(missing.message.contains("cannot read API key file \(directory.path)/absent.key"))
        let twoLines = try directory.write("two.key", "test_one123456789\ntest_two123456789\n")
        let error = try failure { () throws(CredentialsError) in
            try resolve(CredentialOptions(apiKeyFile: twoLines))
        }
        #expect(
            error.message == "API key file \(twoLines): expected the key alone on one line, found 2 lines"
        )
    }

    @Test func unusualKeyShapeIsAcceptedWithAWarning() throws {
        let resolved = try resolve(extra: ["REFONTE_API_KEY": "sk_0123456789abcdef"])
        #expect(resolved.apiKey?.mode == .unknown)
        #expect(resolved.warnings.count == 1)
        #expect(resolved.warnings[0].contains("does not start with live_ or test_"))
        #expect(!resolved.warnings[0].contains("0123456789"))
    }

    @Test func plainHTTPToARemoteHostWarns() throws {
        let resolved = try resolve(
            CredentialOptions(baseURL: "http://api.example.com/v1"),
            extra: ["REFONTE_API_KEY": testKey]
        )
        #expect(
            resolved.warnings == ["the API key will be sent over plain http to api.example.com; use https"]
        )
        let local = try resolve(
            CredentialOptions(baseURL: "http://127.0.0.1:8080/v1"),
            extra: ["REFONTE_API_KEY": testKey]
        )
        #expect(local.warnings.isEmpty)
    }
}

/// The error a throwing call produced; fails the test if it did not throw.
func failure<Value>(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws(CredentialsError) -> Value
) throws -> CredentialsError {
    do {
        _ = try body()
    } catch {
        return error
    }
    Issue.record("expected a CredentialsError", sourceLocation: sourceLocation)
    throw CancellationError()
}
