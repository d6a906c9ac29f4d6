import struct Foundation.URL

enum RequestURL {
    /// The base URL split once per client into its origin and its path, without trailing
    /// slashes: `http://127.0.0.1:8080/v1/` gives `("http://127.0.0.1:8080", "/v1")`.
    static func split(_ baseURL: URL) -> (origin: String, path: String) {
        var url = baseURL.absoluteString
        while url.hasSuffix("/") { url.removeLast() }
        var path = baseURL.path
        while path.hasSuffix("/") { path.removeLast() }
        return (String(url.dropLast(path.count)), path)
    }

    /// The request target: the base path, the operation's already-encoded path and the query.
    /// Base path `/v1` + `/teams` gives `/v1/teams`.
    static func target(basePath: String, request: PreparedRequest) -> String {
        var target = basePath
        if !request.path.hasPrefix("/") { target += "/" }
        target += request.path
        if !request.query.isEmpty {
            target += "?"
            target += request.query.map {
                "\(PercentEncoding.encode($0.name))=\(PercentEncoding.encode($0.value))"
            }.joined(separator: "&")
        }
        return target
    }

    /// The absolute URL of `request`.
    static func make(baseURL: URL, request: PreparedRequest) -> String {
        let (origin, path) = split(baseURL)
        return origin + target(basePath: path, request: request)
    }
}
