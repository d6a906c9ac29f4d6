/// What `.profile` prints: the profile, where calls go, and the API key's source, masked.
enum ProfileReport {
    static func text(_ destination: REPLConfiguration.Destination, liveBaseURL: String?) -> String {
        var rows: [(String, String)] = [("profile", destination.profile ?? "none")]
        if let reason = destination.sandboxReason {
            let url = liveBaseURL.map { "at \($0)" } ?? "(it starts on the first API call)"
            rows.append(("base url", "the embedded sandbox \(url), because \(reason)"))
        } else {
            rows.append(("base url", destination.baseURL ?? "?"))
        }
        rows.append(("api key", destination.key))
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { name, value in
            name + ":" + String(repeating: " ", count: width - name.count + 2) + value
        }.joined(separator: "\n")
    }
}
