import Foundation
import Quantities

/// Parsing of the settings that can come from a profile, the environment or a flag. Each
/// returns a reason on failure; the caller adds where the value came from.
enum Settings {
    /// An `http://` or `https://` URL with a host and no credentials, query or fragment.
    static func baseURL(_ text: String) -> Result<URL, SettingError> {
        let expected = "expected an http:// or https:// URL like https://api.refonte.com/v1"
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else { return .failure(SettingError("\(expected), got \"\(text)\"")) }
        guard url.user == nil, url.password == nil else {
            return .failure(
                SettingError("the URL must not hold a user name or password; keys belong in api_key_file")
            )
        }
        guard url.query == nil, url.fragment == nil else {
            return .failure(SettingError("\(expected) without '?' or '#', got \"\(text)\""))
        }
        return .success(url)
    }

    /// A duration (`30s`, `500ms`, `2m`, `1.5s`, or a bare number of seconds) between 1ms and 1h.
    static func timeout(_ text: String) -> Result<Duration, SettingError> {
        guard let duration = DurationText.parse(text) else {
            return .failure(
                SettingError("expected a duration like \"30s\", \"500ms\" or \"2m\", got \"\(text)\"")
            )
        }
        guard duration >= .milliseconds(1), duration <= .seconds(3600) else {
            return .failure(SettingError("expected a duration between 1ms and 1h, got \"\(text)\""))
        }
        return .success(duration)
    }

    static func rateLimit(_ text: String) -> Result<RateLimit?, SettingError> {
        do {
            return .success(try RateLimit.parse(text))
        } catch {
            return .failure(SettingError(error.description))
        }
    }

    static func apiKey(_ text: String) -> Result<APIKey, SettingError> {
        do {
            return .success(try APIKey(text))
        } catch {
            return .failure(SettingError(error.description))
        }
    }
}

struct SettingError: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
