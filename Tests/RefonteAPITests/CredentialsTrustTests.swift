import Foundation
import Logging
import NIOSSL
import TestHelpers
import Testing

@testable import RefonteAPI

/// Which certificate authorities and which proxy a command's calls use: `ca_file` and
/// `ca_only` in a profile, `REFONTE_CA_FILE`, `SSL_CERT_FILE`, the proxy variables.
@Suite final class CredentialsTrustTests {
    let directory: TempDirectory
    let environment: [String: String]
    let configPath: String
    let certificates: TestCertificates

    init() async throws {
        directory = try TempDirectory()
        environment = [
            "XDG_CONFIG_HOME": directory.path, "HOME": directory.path, "REFONTE_API_KEY": testKey,
        ]
        configPath = directory.path + "/refonte/config.toml"
        certificates = try await TestCertificates.shared()
    }

    deinit { directory.remove() }

    func resolve(_ extra: [String: String] = [:]) throws(CredentialsError) -> ResolvedCredentials {
        try CredentialResolver.resolve(
            environment: environment.merging(extra) { $1 },
            logger: LogCapture().logger()
        )
    }

    func error(_ extra: [String: String] = [:]) throws -> String {
        try failure { () throws(CredentialsError) in try resolve(extra) }.message
    }

    @discardableResult
    func copyCA(to name: String) throws -> String {
        try directory.write(name, try String(contentsOfFile: certificates.ca, encoding: .utf8), mode: 0o644)
    }

    @Test func theSystemStoreAloneByDefault() throws {
        let trust = try resolve().trust
        #expect(trust == .system)
        #expect(trust.summary == "the system's store")
        #expect(trust.tlsConfiguration.trustRoots == .default)
        #expect(trust.tlsConfiguration.additionalTrustRoots.isEmpty)
    }

    @Test func aProfileCAFileIsReadBesideTheConfigAndAddedToTheSystemStore() throws {
        try copyCA(to: "refonte/corp-ca.pem")
        try directory.write("refonte/config.toml", "[profiles.default]\nca_file = \"corp-ca.pem\"\n")
        let trust = try resolve().trust
        let caFile = try #require(trust.caFile)
        #expect(caFile.path == directory.path + "/refonte/corp-ca.pem")
        #expect(caFile.origin == "ca_file of profile \"default\"")
        #expect(!trust.caOnly)
        let tls = trust.tlsConfiguration
        #expect(tls.trustRoots == .default)
        #expect(tls.additionalTrustRoots == [.certificates(caFile.certificates)])
        #expect(trust.summary == "\(caFile.path) (ca_file of profile \"default\") and the system's store")
    }

    @Test func caOnlyTrustsTheCAFileAlone() throws {
        try copyCA(to: "refonte/corp-ca.pem")
        try directory.write(
            "refonte/config.toml",
            "[profiles.default]\nca_file = \"corp-ca.pem\"\nca_only = true # no public CA\n"
        )
        let trust = try resolve().trust
        let caFile = try #require(trust.caFile)
        #expect(trust.caOnly)
        #expect(trust.tlsConfiguration.trustRoots == .certificates(caFile.certificates))
        #expect(trust.summary.hasSuffix("only (ca_only)"))
    }

    @Test func theEnvironmentWinsOverTheProfile() throws {
        try copyCA(to: "refonte/corp-ca.pem")
        try directory.write("refonte/config.toml", "[profiles.default]\nca_file = \"corp-ca.pem\"\n")
        let trust = try resolve(["REFONTE_CA_FILE": certificates.ca]).trust
        #expect(trust.caFile?.path == certificates.ca)
        #expect(trust.caFile?.origin == "REFONTE_CA_FILE")
    }

    @Test func sslCertFileStandsForTheSystemStore() throws {
        let trust = try resolve(["SSL_CERT_FILE": certificates.ca]).trust
        #expect(trust.tlsConfiguration.trustRoots == .file(certificates.ca))
        #expect(trust.summary == "the bundle in SSL_CERT_FILE (\(certificates.ca))")
        #expect(
            try error(["SSL_CERT_FILE": directory.path + "/none.pem"])
                == "environment variable SSL_CERT_FILE: cannot read \(directory.path)/none.pem"
        )
    }

    @Test func aMissingOrWrongCAFileIsReportedWhereItWasNamed() throws {
        try directory.write("refonte/config.toml", "[profiles.default]\nca_file = \"nope.pem\"\n")
        #expect(
            try error()
                == "cannot use CA file \(directory.path)/refonte/nope.pem (from ca_file of profile \"default\"): no such file"
        )
        let junk = try directory.write("junk.pem", "not a certificate\n")
        #expect(
            try error(["REFONTE_CA_FILE": junk])
                == "cannot use CA file \(junk) (from REFONTE_CA_FILE): it holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
        )
    }

    @Test func caOnlyNeedsACAFileAndABoolean() throws {
        try directory.write("refonte/config.toml", "[profiles.default]\nca_only = true\n")
        #expect(
            try error()
                == "\(configPath):1: [profiles.default] sets ca_only = true but names no ca_file (nor is REFONTE_CA_FILE set): nothing would be trusted"
        )
        try directory.write("refonte/config.toml", "[profiles.default]\nca_only = \"yes\"\n")
        #expect(
            try error()
                == "\(configPath):2: key \"ca_only\" in [profiles.default]: expected true or false, like ca_only = true, found \"yes\""
        )
        try directory.write("refonte/config.toml", "[profiles.default]\ntimeout = true\n")
        #expect(
            try error()
                == "\(configPath):2: key \"timeout\" in [profiles.default]: expected a quoted string, like timeout = \"…\", found true"
        )
    }

    @Test func theStatusReportShowsTheCAsAndTheProxy() throws {
        let resolved = try resolve([
            "REFONTE_CA_FILE": certificates.ca, "HTTPS_PROXY": "http://me:hunter2@proxy.corp:3128",
        ])
        let report = resolved.statusReport
        #expect(report.contains("ca:         \(certificates.ca) (REFONTE_CA_FILE) and the system's store\n"))
        #expect(report.contains("proxy:      http://me:***@proxy.corp:3128 (from HTTPS_PROXY)\n"))
        #expect(!report.contains("hunter2"))
        let bypassed = try resolve(["HTTPS_PROXY": "http://proxy.corp:3128", "NO_PROXY": ".refonte.com"])
        #expect(
            bypassed.statusReport.contains(
                "proxy:      none (HTTPS_PROXY is set, but NO_PROXY covers this host)\n"
            )
        )
        #expect(bypassed.clientConfiguration()?.proxy == nil)
        #expect(resolved.clientConfiguration()?.proxy?.host == "proxy.corp")
    }

    @Test func aBadProxySettingIsAConfigurationError() throws {
        #expect(
            try error(["HTTPS_PROXY": "https://proxy.corp:3128"])
                == "environment variable HTTPS_PROXY: a proxy reached over TLS (https://) is not supported; give its http:// address"
        )
    }
}
