import Foundation
import Logging

/// Finds the API key and settings for a command.
///
/// The key: `--api-key-file`, then `REFONTE_API_KEY`, then the profile (`--profile`, else
/// `REFONTE_PROFILE`, else `default` when the config file has one). The base URL:
/// `--base-url`, then `REFONTE_BASE_URL`, then the profile, then the public API. Rate limit and
/// timeout come from the profile, else the defaults. Trusted CAs and the proxy: see
/// `resolveTrust` and `ProxyEnvironment`.
public enum CredentialResolver {
    public static let defaultTimeout: Duration = .seconds(60)

    /// The environment is a parameter so that tests (and embedders) never mutate the process's.
    public static func resolve(
        _ options: CredentialOptions = CredentialOptions(),
        environment: [String: String] = ProcessEnvironment.current,
        logger: Logger
    ) throws(CredentialsError) -> ResolvedCredentials {
        let configPath = configFilePath(environment: environment)
        let config = try loadConfig(at: configPath)
        let profile = try selectProfile(
            options,
            environment: environment,
            config: config,
            configPath: configPath
        )

        let (source, apiKey, keyFile) = try resolveKey(
            options,
            environment: environment,
            profile: profile,
            configPath: configPath
        )
        let (baseURL, baseURLSource) = try resolveBaseURL(options, environment: environment, profile: profile)
        let trust = try resolveTrust(environment: environment, profile: profile, configPath: configPath)
        let route = try resolveRoute(for: baseURL, environment: environment)

        var warnings: [String] = []
        if let warning = apiKey?.shapeWarning { warnings.append(warning) }
        if apiKey != nil, baseURL.scheme?.lowercased() == "http", !isLoopback(baseURL.host) {
            warnings.append("the API key will be sent over plain http to \(baseURL.host ?? "?"); use https")
        }
        for warning in warnings { logger.warning("\(warning)") }
        logger.debug(
            "credentials resolved",
            metadata: [
                "source": "\(source)", "base_url": "\(baseURL.absoluteString)",
                "key": "\(apiKey?.masked ?? "none")",
            ]
        )
        return ResolvedCredentials(
            source: source,
            apiKey: apiKey,
            keyFilePath: keyFile,
            baseURL: baseURL,
            baseURLSource: baseURLSource,
            profile: profile?.name,
            configPath: configPath,
            rateLimit: profile?.rateLimit ?? RateLimit.standard,
            timeout: profile?.timeout ?? defaultTimeout,
            warnings: warnings,
            trust: trust,
            route: route
        )
    }

    /// `$XDG_CONFIG_HOME/refonte/config.toml`, else `~/.config/refonte/config.toml`.
    public static func configFilePath(environment: [String: String]) -> String {
        UserFolder.config.path("config.toml", environment: environment)
    }

    // MARK: - Steps

    private static func loadConfig(at path: String) throws(CredentialsError) -> ConfigFile? {
        guard let text = try SecureFile.load(path, what: "config file", requirePrivate: false) else {
            return nil
        }
        let config = try ConfigFile.parse(text, path: path)
        // The check comes after parsing because only a file that holds a key is a secret.
        if config.holdsAPIKey, let mode = SecureFile.mode(of: path), mode & 0o077 != 0 {
            throw .insecure("config file (it holds an api_key)", path: path, mode: mode)
        }
        return config
    }

    private static func selectProfile(
        _ options: CredentialOptions,
        environment: [String: String],
        config: ConfigFile?,
        configPath: String
    ) throws(CredentialsError) -> ConfigFile.Profile? {
        let requested: (name: String, origin: String, kind: CredentialsError.Kind)?
        if let name = options.profile {
            requested = (name, "--profile", .usage)
        } else if let name = nonEmpty(environment["REFONTE_PROFILE"]) {
            requested = (name, "REFONTE_PROFILE", .configuration)
        } else {
            requested = nil
        }
        guard let requested else { return config?.profiles["default"] }
        if let profile = config?.profiles[requested.name] { return profile }
        let known = config?.profiles.keys.sorted() ?? []
        let hint: String
        if config == nil {
            hint = "there is no config file at \(configPath)"
        } else if known.isEmpty {
            hint = "\(configPath) defines no profiles"
        } else {
            hint = "known profiles in \(configPath): \(known.joined(separator: ", "))"
        }
        throw CredentialsError(
            kind: requested.kind,
            "unknown profile \"\(requested.name)\" (from \(requested.origin)); \(hint)"
        )
    }

    private static func resolveKey(
        _ options: CredentialOptions,
        environment: [String: String],
        profile: ConfigFile.Profile?,
        configPath: String
    ) throws(CredentialsError) -> (ResolvedCredentials.Source, APIKey?, keyFile: String?) {
        if let path = options.apiKeyFile {
            let path = expand(path, home: home(environment), relativeTo: nil)
            return (.flag(path: path), try readKeyFile(path, origin: "--api-key-file"), path)
        }
        if let raw = nonEmpty(environment["REFONTE_API_KEY"]) {
            switch Settings.apiKey(raw) {
            case .success(let key): return (.environment(variable: "REFONTE_API_KEY"), key, nil)
            case .failure(let error):
                throw CredentialsError("environment variable REFONTE_API_KEY: \(error.reason)")
            }
        }
        guard let profile else { return (.none, nil, nil) }
        let source = ResolvedCredentials.Source.profile(name: profile.name, configPath: configPath)
        if let key = profile.apiKey { return (source, key, nil) }
        if let file = profile.apiKeyFile {
            let directory = (configPath as NSString).deletingLastPathComponent
            let path = expand(file, home: home(environment), relativeTo: directory)
            return (
                source, try readKeyFile(path, origin: "api_key_file of profile \"\(profile.name)\""), path
            )
        }
        return (.none, nil, nil)
    }

    private static func readKeyFile(_ path: String, origin: String) throws(CredentialsError) -> APIKey {
        guard let text = try SecureFile.load(path, what: "API key file", requirePrivate: true) else {
            throw CredentialsError("cannot read API key file \(path) (from \(origin)): no such file")
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard lines.count == 1, let line = lines.first else {
            throw CredentialsError(
                "API key file \(path): expected the key alone on one line, found "
                    + (lines.isEmpty ? "an empty file" : "\(lines.count) lines")
            )
        }
        switch Settings.apiKey(line) {
        case .success(let key): return key
        case .failure(let error): throw CredentialsError("API key file \(path): \(error.reason)")
        }
    }

    private static func resolveBaseURL(
        _ options: CredentialOptions,
        environment: [String: String],
        profile: ConfigFile.Profile?
    ) throws(CredentialsError) -> (URL, String) {
        if let text = options.baseURL {
            switch Settings.baseURL(text) {
            case .success(let url): return (url, "--base-url")
            case .failure(let error): throw CredentialsError(kind: .usage, "--base-url: \(error.reason)")
            }
        }
        if let text = nonEmpty(environment["REFONTE_BASE_URL"]) {
            switch Settings.baseURL(text) {
            case .success(let url): return (url, "REFONTE_BASE_URL")
            case .failure(let error):
                throw CredentialsError("environment variable REFONTE_BASE_URL: \(error.reason)")
            }
        }
        if let profile, let url = profile.baseURL { return (url, "profile \"\(profile.name)\"") }
        return (ClientConfiguration.defaultBaseURL, "default")
    }

    // MARK: - Helpers

    static func home(_ environment: [String: String]) -> String {
        nonEmpty(environment["HOME"]) ?? NSHomeDirectory()
    }

    /// `~/x` is under the home directory; a relative path is relative to `directory` (the
    /// config file's folder) when given, else to the working directory.
    static func expand(_ path: String, home: String, relativeTo directory: String?) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return join(home, String(path.dropFirst(2))) }
        if path.hasPrefix("/") { return path }
        if let directory { return join(directory, path) }
        return join(FileManager.default.currentDirectoryPath, path)
    }

    static func join(_ directory: String, _ path: String) -> String {
        directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }

    static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    private static func isLoopback(_ host: String?) -> Bool {
        guard let host = host?.lowercased() else { return false }
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
