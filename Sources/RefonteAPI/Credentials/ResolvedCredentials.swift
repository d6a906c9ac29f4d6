import struct Foundation.URL

/// Which key, base URL and limits a command will use, and where each came from.
public struct ResolvedCredentials: Sendable {
    /// Where the API key came from.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        case flag(path: String)
        case environment(variable: String)
        case profile(name: String, configPath: String)
        /// No key anywhere: commands fall back to the embedded sandbox.
        case none

        public var description: String {
            switch self {
            case .flag(let path): "--api-key-file \(path)"
            case .environment(let variable): "environment variable \(variable)"
            case .profile(let name, let configPath): "profile \"\(name)\" in \(configPath)"
            case .none: "none"
            }
        }
    }

    public var source: Source
    /// nil when no source gave a key.
    public var apiKey: APIKey?
    /// The file the key was read from, when it came from one (scripts may never open it).
    public var keyFilePath: String?
    public var baseURL: URL
    /// `--base-url`, `REFONTE_BASE_URL`, `profile "prod"` or `default`.
    public var baseURLSource: String
    /// The profile in effect (its settings apply even when the key came from elsewhere).
    public var profile: String?
    public var configPath: String
    /// nil: no client-side limit.
    public var rateLimit: RateLimit?
    public var timeout: Duration
    /// Things worth telling the user that do not stop the command (an odd key shape, a key
    /// sent over plain http). They never hold the key.
    public var warnings: [String]
    /// The CAs trusted for https://.
    public var trust: CertificateTrust = .system
    /// Whether calls go through a proxy, and why.
    public var route: ProxyEnvironment.Route = .direct

    /// The client configuration for these credentials, or nil when there is no key.
    public func clientConfiguration(
        retry: RetryPolicy = RetryPolicy(),
        userAgentSuffix: String? = nil
    ) -> ClientConfiguration? {
        guard let apiKey else { return nil }
        return ClientConfiguration(
            baseURL: baseURL,
            apiKey: apiKey,
            timeout: timeout,
            rateLimit: rateLimit,
            retry: retry,
            userAgentSuffix: userAgentSuffix,
            proxy: route.proxy,
            trust: trust
        )
    }
}

/// What the command line said about credentials; nil means "not given".
public struct CredentialOptions: Sendable, Hashable {
    public var apiKeyFile: String?
    public var profile: String?
    public var baseURL: String?

    public init(apiKeyFile: String? = nil, profile: String? = nil, baseURL: String? = nil) {
        self.apiKeyFile = apiKeyFile
        self.profile = profile
        self.baseURL = baseURL
    }
}
