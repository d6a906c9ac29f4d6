import Foundation
import Quantities

extension ResolvedCredentials {
    /// The lines `refonte auth status` prints: which source won, the masked key, the base URL,
    /// the limits, the CAs trusted and the proxy. Safe to show anywhere: the key appears only
    /// masked, a proxy's password not at all.
    public var statusReport: String {
        var rows: [(String, String)] = []
        if let apiKey {
            rows.append(("source", source.description))
            rows.append(("api key", "\(apiKey.masked) (\(apiKey.mode.rawValue) mode)"))
        } else {
            rows.append(("source", "none"))
            rows.append(("api key", "not configured: `refonte run` will use the embedded sandbox"))
        }
        rows.append(("base url", "\(baseURL.absoluteString) (\(baseURLSource))"))
        rows.append(("profile", profile ?? "none"))
        rows.append(("config", configPath))
        rows.append(("rate limit", rateLimit?.description ?? "off"))
        rows.append(("timeout", DurationText.format(timeout)))
        rows.append(("ca", trust.summary))
        rows.append(("proxy", route.description))
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { name, value in
            name + ":" + String(repeating: " ", count: width - name.count + 1) + value + "\n"
        }.joined()
    }

}
