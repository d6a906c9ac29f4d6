import Foundation
import Testing

@testable import RefonteAPI

/// What `refonte auth status` prints.
@Suite struct CredentialsStatusReportTests {
    @Test func reportsTheWinningSourceWithAMaskedKey() throws {
        let resolved = ResolvedCredentials(
            source: .profile(name: "prod", configPath: "/home/me/.config/refonte/config.toml"),
            apiKey: try APIKey(testKey),
            baseURL: URL(string: "https://eu.api.refonte.com/v1")!,
            baseURLSource: "profile \"prod\"",
            profile: "prod",
            configPath: "/home/me/.config/refonte/config.toml",
            rateLimit: try RateLimit.parse("600/m"),
            timeout: .milliseconds(1500),
            warnings: []
        )
        #expect(
            resolved.statusReport == """
                source:     profile "prod" in /home/me/.config/refonte/config.toml
                api key:    test_ab**** (test mode)
                base url:   https://eu.api.refonte.com/v1 (profile "prod")
                profile:    prod
                config:     /home/me/.config/refonte/config.toml
                rate limit: 10/s (burst 10)
                timeout:    1.5s
                ca:         the system's store
                proxy:      none

                """
        )
        #expect(!resolved.statusReport.contains(testKey))
    }

    @Test func saysWhenTheSandboxWillBeUsed() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let resolved = try CredentialResolver.resolve(
            environment: ["XDG_CONFIG_HOME": directory.path, "HOME": directory.path],
            logger: LogCapture().logger()
        )
        let report = resolved.statusReport
        #expect(report.contains("source:     none\n"))
        #expect(report.contains("api key:    not configured: `refonte run` will use the embedded sandbox\n"))
        #expect(report.contains("rate limit: 20/s (burst 20)\n"))
        #expect(report.contains("timeout:    1m\n"))
    }
}
