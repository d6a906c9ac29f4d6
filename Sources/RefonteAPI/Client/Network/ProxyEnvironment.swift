import Foundation

/// Which proxy, if any, carries the calls to a URL, read from the environment the way curl
/// reads it:
///
/// - `https_proxy` / `HTTPS_PROXY` for `https://` URLs, `http_proxy` / `HTTP_PROXY` for
///   `http://` ones, else `all_proxy` / `ALL_PROXY`; the lower-case name wins, an empty value
///   counts as unset. (curl ignores upper-case `HTTP_PROXY`; Python's requests honours it, and
///   so does refonte.)
/// - `no_proxy` / `NO_PROXY` lists hosts that are reached directly (`NoProxyList`).
/// - A proxy is written `[scheme://][user[:password]@]host[:port]`: scheme `http` (the
///   default), `socks5` or `socks5h`; the port defaults to 1080, as in curl.
public enum ProxyEnvironment {
    /// How calls to a URL leave this machine.
    public enum Route: Sendable, Hashable, CustomStringConvertible {
        /// No proxy variable applies.
        case direct
        /// A proxy variable applies, but the `NO_PROXY` variable named covers the host.
        case bypassed(proxyVariable: String, noProxyVariable: String)
        case proxy(HTTPProxy)

        public var proxy: HTTPProxy? {
            if case .proxy(let proxy) = self { return proxy }
            return nil
        }

        /// For `refonte auth status`.
        public var description: String {
            switch self {
            case .direct: "none"
            case .bypassed(let proxyVariable, let noProxyVariable):
                "none (\(proxyVariable) is set, but \(noProxyVariable) covers this host)"
            case .proxy(let proxy): "\(proxy) (from \(proxy.variable))"
            }
        }
    }

    /// The route for calls to `url`.
    public static func route(
        for url: URL,
        environment: [String: String]
    ) throws(ProxyError) -> Route {
        guard let host = url.host, !host.isEmpty else { return .direct }
        let scheme = url.scheme?.lowercased() ?? "https"
        let names = scheme == "https" ? ["https_proxy", "HTTPS_PROXY"] : ["http_proxy", "HTTP_PROXY"]
        guard let (variable, value) = first(of: names + ["all_proxy", "ALL_PROXY"], in: environment) else {
            return .direct
        }
        if let (noProxyVariable, list) = first(of: ["no_proxy", "NO_PROXY"], in: environment),
            NoProxyList(list).covers(host: host)
        {
            return .bypassed(proxyVariable: variable, noProxyVariable: noProxyVariable)
        }
        return .proxy(try parse(value, variable: variable))
    }

    /// Reads one proxy setting; the error names the variable and never repeats a password.
    static func parse(_ value: String, variable: String) throws(ProxyError) -> HTTPProxy {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        let expected = "expected a proxy like http://proxy.example.com:3128"
        let written = trimmed.contains("://") ? trimmed : "http://" + trimmed
        guard let parts = URLComponents(string: written), let scheme = parts.scheme?.lowercased(),
            let host = parts.host, !host.isEmpty
        else {
            throw ProxyError(variable: variable, "\(expected), got \"\(redacted(trimmed))\"")
        }
        let kind: HTTPProxy.Kind
        switch scheme {
        case "http": kind = .http
        case "socks5", "socks5h": kind = .socks5
        case "https":
            throw ProxyError(
                variable: variable,
                "a proxy reached over TLS (https://) is not supported; give its http:// address"
            )
        default:
            throw ProxyError(
                variable: variable,
                "unsupported proxy scheme \"\(scheme)\"; use http://, socks5:// or socks5h://"
            )
        }
        let port = parts.port ?? 1080
        guard (1...65535).contains(port) else {
            throw ProxyError(variable: variable, "port \(port) is out of range 1 to 65535")
        }
        if kind == .socks5, parts.user != nil {
            throw ProxyError(variable: variable, "a SOCKS proxy with a user name is not supported")
        }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return HTTPProxy(
            kind: kind,
            host: bare,
            port: port,
            username: parts.user,
            password: parts.password,
            variable: variable
        )
    }

    private static func first(
        of names: [String],
        in environment: [String: String]
    ) -> (String, String)? {
        for name in names {
            if let value = environment[name], !value.trimmingCharacters(in: .whitespaces).isEmpty {
                return (name, value)
            }
        }
        return nil
    }

    /// The setting with any password replaced, for error messages.
    private static func redacted(_ value: String) -> String {
        guard let at = value.lastIndex(of: "@") else { return value }
        let start = value.range(of: "://")?.upperBound ?? value.startIndex
        guard start < at else { return value }
        let user = value[start..<at]
        guard let colon = user.firstIndex(of: ":") else { return value }
        return String(value[..<colon]) + ":***" + String(value[at...])
    }
}

/// A proxy setting that cannot be used; the message starts with the variable's name.
public struct ProxyError: Error, Sendable, Hashable, CustomStringConvertible {
    public var variable: String
    public var reason: String

    init(variable: String, _ reason: String) {
        self.variable = variable
        self.reason = reason
    }

    public var description: String { "environment variable \(variable): \(reason)" }
}
