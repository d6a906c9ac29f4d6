import Foundation
import Testing

@testable import RefonteAPI

/// Which proxy the environment names for a URL, read as curl reads it.
@Suite struct ProxyEnvironmentTests {
    let https = URL(string: "https://api.refonte.com/v1")!
    let http = URL(string: "http://127.0.0.1:8080/v1")!

    func route(_ url: URL, _ environment: [String: String]) throws -> ProxyEnvironment.Route {
        try ProxyEnvironment.route(for: url, environment: environment)
    }

    @Test func eachSchemeReadsItsOwnVariableThenAllProxy() throws {
        let environment = ["HTTPS_PROXY": "http://secure:3128", "HTTP_PROXY": "http://plain:3128"]
        #expect(try route(https, environment).proxy?.host == "secure")
        #expect(try route(http, environment).proxy?.host == "plain")
        #expect(try route(https, ["ALL_PROXY": "http://all:1"]).proxy?.host == "all")
        #expect(try route(https, ["HTTP_PROXY": "http://plain:3128"]) == .direct)
        #expect(try route(https, [:]) == .direct)
        #expect(try route(https, ["HTTPS_PROXY": "  "]) == .direct)
    }

    @Test func theLowerCaseNameWins() throws {
        let environment = ["https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:2"]
        let proxy = try #require(try route(https, environment).proxy)
        #expect(proxy.host == "lower")
        #expect(proxy.variable == "https_proxy")
    }

    @Test func readsSchemeCredentialsAndPortLikeCurl() throws {
        let proxy = try ProxyEnvironment.parse("http://me:p%40ss@proxy.corp:8080/", variable: "HTTPS_PROXY")
        #expect(proxy.kind == .http)
        #expect(proxy.host == "proxy.corp")
        #expect(proxy.port == 8080)
        #expect(proxy.username == "me")
        #expect(proxy.password == "p@ss")
        #expect(proxy.description == "http://me:***@proxy.corp:8080")
        // No scheme means http; no port means 1080, as in curl.
        let bare = try ProxyEnvironment.parse("proxy.corp", variable: "HTTPS_PROXY")
        #expect(bare.kind == .http && bare.port == 1080)
        let socks = try ProxyEnvironment.parse("socks5h://[::1]:9050", variable: "ALL_PROXY")
        #expect(socks.kind == .socks5 && socks.host == "::1" && socks.port == 9050)
        #expect(socks.description == "socks5://[::1]:9050")
    }

    @Test(arguments: [
        ("https://proxy:3128", "a proxy reached over TLS (https://) is not supported"),
        ("socks4://proxy:1080", "unsupported proxy scheme \"socks4\""),
        ("http://proxy:99999", "port 99999 is out of range"),
        ("socks5://me:pw@proxy:1080", "a SOCKS proxy with a user name is not supported"),
        ("http://me:secret@", "expected a proxy like http://proxy.example.com:3128, got \"http://me:***@\""),
    ])
    func refusesWhatItCannotUseWithoutEchoingAPassword(value: String, reason: String) {
        #expect {
            try ProxyEnvironment.parse(value, variable: "HTTPS_PROXY")
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("environment variable HTTPS_PROXY: ") && text.contains(reason)
                && !text.contains("secret")
        }
    }

    @Test func noProxyCoversHostsAsCurlDoes() throws {
        let environment = [
            "HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "example.com, .corp.internal 10.0.0.0/8,::1",
        ]
        func bypassed(_ url: String) throws -> Bool {
            if case .bypassed = try route(URL(string: url)!, environment) { return true }
            return false
        }
        #expect(try bypassed("https://example.com/v1"))
        #expect(try bypassed("https://api.example.com/v1"))
        #expect(try bypassed("https://API.EXAMPLE.COM./v1"))
        #expect(try !bypassed("https://notexample.com/v1"))
        #expect(try bypassed("https://corp.internal/v1"))
        #expect(try bypassed("https://a.b.corp.internal/v1"))
        #expect(try bypassed("https://10.1.2.3/v1"))
        #expect(try !bypassed("https://11.1.2.3/v1"))
        #expect(try bypassed("https://[::1]:8443/v1"))
        #expect(try !bypassed("https://[::2]:8443/v1"))
        #expect(
            try route(URL(string: "https://x.y/v1")!, ["HTTPS_PROXY": "http://p:1", "no_proxy": "*"])
                == .bypassed(proxyVariable: "HTTPS_PROXY", noProxyVariable: "no_proxy")
        )
        // An address is not a name: 127.0.0.1 is not covered by "0.0.1".
        #expect(NoProxyList("0.0.1").covers(host: "127.0.0.1") == false)
        #expect(NoProxyList("127.0.0.1").covers(host: "127.0.0.1"))
        #expect(NoProxyList("localhost:8080").covers(host: "localhost"))
        #expect(NoProxyList("*.example.com").covers(host: "a.example.com"))
    }

    @Test func theRouteTellsWhyInTheStatusReport() throws {
        let bypassed = ProxyEnvironment.Route.bypassed(
            proxyVariable: "HTTPS_PROXY",
            noProxyVariable: "NO_PROXY"
        )
        #expect(bypassed.description == "none (HTTPS_PROXY is set, but NO_PROXY covers this host)")
        let proxied = try route(https, ["HTTPS_PROXY": "http://u:pw@p:3128"])
        #expect(proxied.description == "http://u:***@p:3128 (from HTTPS_PROXY)")
    }
}
