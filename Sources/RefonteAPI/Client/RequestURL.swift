import struct Foundation.URL

enum RequestURL {
    /// Joins the base URL, the operation's already-encoded path and the query items.
    /// `http://127.0.0.1:8080/v1` + `/teams` gives `http://127.0.0.1:8080/v1/teams`.
    static func make(baseURL: URL, request: PreparedRequest) -> String {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var path = request.path
        if !path.hasPrefix("/") { path = "/" + path }
        var url = base + path
        if !request.query.isEmpty {
            url += "?"
            url += request.query.map {
                "\(PercentEncoding.encode($0.name))=\(PercentEncoding.encode($0.value))"
            }.joined(separator: "&")
        }
        return url
    }
}
