import Foundation
import Logging
import Testing

@testable import RefonteAPI

/// Unsafe credentials files are refused with the exact fix; config mistakes name the file,
/// the line, the key and what was expected.
@Suite final class CredentialsFileTests {
    let directory: TempDirectory
    let environment: [String: String]
    let configPath: String

    init() throws {
        directory = try TempDirectory()
        environment = ["XDG_CONFIG_HOME": directory.path, "HOME": directory.path]
        configPath = directory.path + "/refonte/config.toml"
    }

    deinit { directory.remove() }

    func resolve(
        _ options: CredentialOptions = CredentialOptions()
    ) throws(CredentialsError) -> ResolvedCredentials {
        try CredentialResolver.resolve(options, environment: environment, logger: LogCapture().logger())
    }

    func configError(_ text: String) throws -> String {
        try directory.write("refonte/config.toml", text)
        return try failure { () throws(CredentialsError) in try resolve() }.message
    }

    // MARK: - Permissions

    @Test(arguments: [0o644, 0o640, 0o604, 0o660])
    func refusesAKeyFileOthersCanRead(mode: Int) throws {
        let path = try directory.write("k.key", testKey, mode: mode)
        let error = try failure { () throws(CredentialsError) in
            try resolve(CredentialOptions(apiKeyFile: path))
        }
        #expect(error.kind == .configuration)
        #expect(error.message.contains("refusing to read API key file \(path)"))
        #expect(error.message.contains("(mode 0\(String(mode, radix: 8)))"))
        #expect(error.message.hasSuffix("fix it with: chmod 600 \(path)"))
        #expect(!error.message.contains(testKey))
    }

    @Test(arguments: [0o600, 0o400])
    func acceptsAPrivateKeyFile(mode: Int) throws {
        let path = try directory.write("k.key", testKey + "\n", mode: mode)
        #expect(try resolve(CredentialOptions(apiKeyFile: path)).apiKey == (try APIKey(testKey)))
    }

    @Test func refusesAProfileKeyFileOthersCanRead() throws {
        try directory.write(
            "refonte/config.toml",
            "[profiles.default]\napi_key_file = \"k.key\"\n",
            mode: 0o644
        )
        let keyPath = try directory.write("refonte/k.key", testKey, mode: 0o644)
        let error = try failure { () throws(CredentialsError) in try resolve() }
        #expect(error.message.hasSuffix("chmod 600 \(keyPath)"))
    }

    @Test func refusesAReadableConfigFileThatHoldsAKey() throws {
        try directory.write(
            "refonte/config.toml",
            "[profiles.default]\napi_key = \"\(testKey)\"\n",
            mode: 0o644
        )
        let error = try failure { () throws(CredentialsError) in try resolve() }
        #expect(error.message.contains("refusing to read config file (it holds an api_key) \(configPath)"))
        #expect(error.message.hasSuffix("fix it with: chmod 600 \(configPath)"))
        #expect(!error.message.contains(testKey))
    }

    @Test func acceptsAReadableConfigFileWithoutKeys() throws {
        try directory.write(
            "refonte/config.toml",
            "[profiles.default]\nbase_url = \"http://127.0.0.1:1/v1\"\n",
            mode: 0o644
        )
        #expect(try resolve().baseURL.absoluteString == "http://127.0.0.1:1/v1")
    }

    // MARK: - Parse errors

    @Test func numbersAndBooleansAreTOMLValues() throws {
        try directory.write("refonte/config.toml", "[profiles.default]\n# comment\ntimeout = 30\n")
        #expect(try resolve().timeout == .seconds(30))
        try directory.write("refonte/config.toml", "[profiles.default]\ntimeout = 1.5 # seconds\n")
        #expect(try resolve().timeout == .milliseconds(1500))
        let message = try configError("[profiles.default]\n# comment\nbase_url = 30\n")
        #expect(
            message
                == "\(configPath):3: key \"base_url\" in [profiles.default]: expected a quoted string, like base_url = \"…\", found 30"
        )
        let array = try configError("[profiles.default]\ntimeout = [30]\n")
        #expect(array.contains("\(configPath):2: key \"timeout\": arrays are not read here"))
        let word = try configError("[profiles.default]\ntimeout = soon\n")
        #expect(word.contains("expected a quoted string, a number or true/false"))
    }

    @Test func inlineTablesAreProfiles() throws {
        try directory.write(
            "refonte/config.toml",
            "[profiles]\ndefault = { timeout = 45, rate_limit = \"5/s\" } # one line\nother = {}\n"
        )
        let resolved = try resolve()
        #expect(resolved.timeout == .seconds(45))
        #expect(resolved.rateLimit == RateLimit(perSecond: 5))
        let unknown = try configError("[profiles]\n\ndefault = { timeout = 45, colour = \"red\" }\n")
        #expect(unknown.hasPrefix("\(configPath):3: unknown key \"colour\" in [profiles.default]"))
        let twice = try configError("[profiles.default]\n[profiles]\ndefault = { timeout = 1 }\n")
        #expect(twice == "\(configPath):3: table [profiles.default] appears twice")
        let nested = try configError("[profiles]\ndefault = { x = { y = 1 } }\n")
        #expect(nested.contains(":2: key \"x\": inline tables inside inline tables are not read here"))
        let loose = try configError("[profiles]\ntimeout = 30\n")
        #expect(loose.contains(":2: key \"timeout\" in [profiles] belongs to no profile"))
    }

    @Test func badTimeoutValue() throws {
        let message = try configError("[profiles.prod]\ntimeout = \"soon\"\n")
        #expect(
            message
                == "\(configPath):2: key \"timeout\" in [profiles.prod]: expected a duration like \"30s\", \"500ms\" or \"2m\", got \"soon\""
        )
    }

    @Test func badRateLimitValue() throws {
        let message = try configError("[profiles.prod]\n\nrate_limit = \"fast\" # comment\n")
        #expect(
            message.hasPrefix(
                "\(configPath):3: key \"rate_limit\" in [profiles.prod]: invalid rate limit \"fast\""
            )
        )
        #expect(message.contains("like \"50/s\" or \"600/m\""))
    }

    @Test func unknownKeyListsTheKnownOnes() throws {
        let message = try configError("[profiles.prod]\nbase_ulr = \"https://x/v1\"\n")
        #expect(
            message
                == "\(configPath):2: unknown key \"base_ulr\" in [profiles.prod]; expected one of base_url, api_key, api_key_file, rate_limit, timeout, ca_file, ca_only"
        )
    }

    @Test func bothKeyAndKeyFile() throws {
        let message = try configError("[profiles.p]\napi_key = \"\(testKey)\"\napi_key_file = \"k\"\n")
        #expect(
            message
                == "\(configPath):3: key \"api_key_file\" in [profiles.p]: a profile holds api_key or api_key_file, not both"
        )
    }

    @Test func keyOutsideATable() throws {
        let message = try configError("timeout = \"3s\"\n")
        #expect(message.hasPrefix("\(configPath):1: key \"timeout\" is outside a table"))
    }

    @Test func unknownTable() throws {
        let message = try configError("[profile.prod]\n")
        #expect(message == "\(configPath):1: unknown table [profile.prod]; expected [profiles.NAME]")
    }

    @Test func duplicateKeyAndTable() throws {
        let key = try configError("[profiles.a]\ntimeout = \"1s\"\ntimeout = \"2s\"\n")
        #expect(key == "\(configPath):3: key \"timeout\" is set twice (first on line 2)")
        let table = try configError("[profiles.a]\n[profiles.a]\n")
        #expect(table == "\(configPath):2: table [profiles.a] appears twice")
    }

    @Test func unterminatedStringAndMissingEquals() throws {
        #expect(
            try configError("[profiles.a]\nbase_url = \"https://x\n")
                == "\(configPath):2: unterminated string: expected a closing \""
        )
        #expect(
            try configError("[profiles.a]\nbase_url \"x\"\n")
                == "\(configPath):2: expected '=' after key \"base_url\""
        )
    }

    @Test func badKeyInConfigDoesNotLeakIt() throws {
        let message = try configError("[profiles.a]\napi_key = \"test_secret value\"\n")
        #expect(
            message
                == "\(configPath):2: key \"api_key\" in [profiles.a]: not a valid API key: it contains spaces, line breaks or non-ASCII characters"
        )
    }

    @Test func acceptsTheWholeSubset() throws {
        let text = """
            # refonte profiles\r
            [profiles.default]   # the usual one\r
            base_url = 'http://127.0.0.1:8080/v1'\r

            [profiles."with space"]
            "timeout" = "1.5s"
            rate_limit = "50/s"
            api_key = "test_\\u0041BCDEFGH1234"
            """
        try directory.write("refonte/config.toml", text)
        let resolved = try resolve(CredentialOptions(profile: "with space"))
        #expect(resolved.timeout == .milliseconds(1500))
        #expect(resolved.rateLimit == RateLimit(perSecond: 50))
        #expect(resolved.apiKey == (try APIKey("test_ABCDEFGH1234")))
        #expect(try resolve().baseURL.absoluteString == "http://127.0.0.1:8080/v1")
    }
}

@Suite struct CredentialsAPIKeyTests {
    @Test func maskingShowsOnlyThePrefix() throws {
        let key = try APIKey(testKey)
        #expect(key.masked == "test_ab****")
        #expect(key.description == "test_ab****")
        #expect("\(key)" == "test_ab****")
        #expect(key.debugDescription == "APIKey(test_ab****)")
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains(testKey))
        #expect(dumped.contains("test_ab****"))
        #expect(String(reflecting: [key]) == "[APIKey(test_ab****)]")
        #expect(try APIKey("live_0123456789").masked == "live_01****")
        #expect(try APIKey("sk_0123456789").masked == "sk****")
        #expect(try APIKey("test_short").masked == "****")
    }

    @Test func authorizationHeaderIsBasicWithAnEmptyPassword() throws {
        let header = try APIKey("test_abc12345").basicAuthorizationHeader()
        #expect(header == "Basic " + Data("test_abc12345:".utf8).base64EncodedString())
    }

    @Test func modeFollowsThePrefix() throws {
        #expect(try APIKey("live_x1234567").mode == .live)
        #expect(try APIKey("test_x1234567").mode == .test)
        #expect(try APIKey("x1234567").mode == .unknown)
    }

    @Test(arguments: ["", "test_a:b", "test_a b", "test_é", "test_a\n"])
    func rejectsKeysThatCannotBeSent(raw: String) {
        do {
            _ = try APIKey(raw)
            Issue.record("\(raw.debugDescription) should be rejected")
        } catch {
            #expect(error.description.hasPrefix("not a valid API key: "))
        }
    }

    @Test func redactsTheKeyFromText() throws {
        let key = try APIKey(testKey)
        #expect(key.redacting("bad key \(testKey)!") == "bad key test_ab****!")
    }
}
