import Foundation
import Logging
import Testing

@testable import RefonteAPI

/// Every form in which a server could echo the key back: the raw key, the `Authorization`
/// value, its base64 alone, and any of these percent-encoded.
private func echoedForms(of raw: String) -> [(name: String, text: String)] {
    let header = "Basic " + Data("\(raw):".utf8).base64EncodedString()
    let base64 = Data("\(raw):".utf8).base64EncodedString()
    let bare = Data(raw.utf8).base64EncodedString()
    let urlSafe = base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    func percentAll(_ text: String, lower: Bool = false) -> String {
        text.utf8.map { String(format: lower ? "%%%02x" : "%%%02X", $0) }.joined()
    }
    let query = header.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    return [
        ("raw", raw),
        ("Authorization value", header),
        ("base64 of key:", base64),
        ("base64 without padding", String(base64.prefix { $0 != "=" })),
        ("base64 of the bare key", bare),
        ("URL-safe base64", urlSafe),
        ("raw, every byte percent-encoded", percentAll(raw)),
        ("raw, percent-encoded in lower case", percentAll(raw, lower: true)),
        ("raw, percent-encoded in part", raw.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!),
        ("Authorization value percent-encoded", query),
        ("Authorization value as a form value", query.replacingOccurrences(of: "%20", with: "+")),
        ("base64 percent-encoded", percentAll(base64)),
    ]
}

@Suite struct KeyRedactionTests {
    /// Keys whose encodings differ from the key itself: `+`, `/`, `=`, `%` and `~` encode.
    static let keys = [testKey, "test_a+b/c=d%e~f?g&h#i", "live_ZZZ>>>???~~~"]

    @Test(arguments: keys)
    func everyEchoedFormIsMasked(raw: String) throws {
        let key = try APIKey(raw)
        let forms = echoedForms(of: raw)
        for (name, form) in forms {
            let redacted = key.redacting("server said: <\(form)> (twice: \(form))")
            for (other, secret) in forms where redacted.contains(secret) {
                Issue.record("\(name): the \(other) form survived in \(redacted)")
            }
            #expect(redacted.contains(key.masked), "\(name): \(redacted)")
            #expect(redacted.hasPrefix("server said: <") && redacted.hasSuffix(")"), "\(name): \(redacted)")
        }
    }

    @Test func textWithoutTheKeyIsUntouched() throws {
        let key = try APIKey(testKey)
        for text in ["", "plain", "100% done, %zz and %4", "Basic dGVzdF9", "test_ab"] {
            #expect(key.redacting(text) == text)
        }
    }

    /// Through the client: a server that echoes the header in its error bodies, in each form.
    @Test func theClientMasksAnEchoedHeaderInItsErrors() async throws {
        let forms = echoedForms(of: testKey)
        let server = ScriptedServer(
            forms.map { form in
                .init(
                    status: 400,
                    body: String(
                        decoding: JSONValue.object([
                            "status_code": 400, "error": .string("echo: \(form.text)"),
                        ]).encoded(),
                        as: UTF8.self
                    )
                )
            }
        )
        let logs = LogCapture()
        var messages: [String] = []
        try await server.run { url in
            try await APIClient.withClient(
                configuration: try ClientHTTPTests.configuration(url),
                logger: logs.logger()
            ) { client in
                for _ in forms {
                    let error = try await failure(of: await client.send(.get("/teams")))
                    messages.append(error.message)
                    messages.append(error.description)
                }
            }
        }
        #expect(messages.count == forms.count * 2)
        for message in messages + [logs.text] {
            for (name, form) in forms where message.contains(form) {
                Issue.record("the \(name) form reached \(message)")
            }
        }
        #expect(messages.allSatisfy { !$0.contains("echo:") || $0.contains("test_ab****") })
    }
}
