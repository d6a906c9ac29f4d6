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

    /// The same facts as `statusReport`, as JSON (`refonte auth status --output json`); as safe
    /// to show: the key masked, the proxy without its password.
    public var statusJSON: JSONValue {
        .object([
            "source": apiKey == nil ? .null : .string(source.description),
            "api_key": apiKey.map { .string($0.masked) } ?? .null,
            "mode": apiKey.map { .string($0.mode.rawValue) } ?? .null,
            "sandbox": .bool(apiKey == nil),
            "base_url": .string(baseURL.absoluteString),
            "base_url_source": .string(baseURLSource),
            "profile": profile.map(JSONValue.string) ?? .null,
            "config": .string(configPath),
            "rate_limit": rateLimit.map { .string($0.description) } ?? .null,
            "timeout_seconds": .double(
                Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
            ),
            "ca": .string(trust.summary),
            "proxy": .string(route.description),
            "warnings": .array(warnings.map(JSONValue.string)),
        ])
    }
}
