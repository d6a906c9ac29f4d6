import AsyncHTTPClient

/// A proxy that a client's connections go through, as `HTTPS_PROXY`, `HTTP_PROXY` or
/// `ALL_PROXY` name it (`ProxyEnvironment`).
///
/// An `http://` proxy carries every request through a `CONNECT` tunnel, plain HTTP included;
/// TLS to an `https://` API then runs end to end inside the tunnel. `socks5://` and
/// `socks5h://` proxies are SOCKS version 5.
public struct HTTPProxy: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case http
        case socks5
    }

    public var kind: Kind
    public var host: String
    public var port: Int
    /// Basic credentials from the URL's user part; never printed.
    var username: String?
    var password: String?
    /// The environment variable that named it, e.g. `HTTPS_PROXY`.
    public var variable: String

    public init(
        kind: Kind,
        host: String,
        port: Int,
        username: String? = nil,
        password: String? = nil,
        variable: String
    ) {
        self.kind = kind
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.variable = variable
    }

    /// `http://proxy.example.com:3128`, `http://me:***@proxy.example.com:3128`: the password
    /// never shows.
    public var description: String {
        var text = "\(kind.rawValue)://"
        if let username { text += username + (password == nil ? "" : ":***") + "@" }
        text += host.contains(":") ? "[\(host)]" : host
        return text + ":\(port)"
    }

    /// The proxy in async-http-client's terms.
    var asyncHTTPClientProxy: HTTPClient.Configuration.Proxy {
        switch kind {
        case .http:
            let authorization = username.map {
                HTTPClient.Authorization.basic(username: $0, password: password ?? "")
            }
            return .server(host: host, port: port, authorization: authorization)
        case .socks5:
            return .socksServer(host: host, port: port)
        }
    }
}
