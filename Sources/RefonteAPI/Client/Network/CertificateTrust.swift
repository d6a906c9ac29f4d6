import Foundation
import NIOSSL

/// Which certificate authorities a client trusts for `https://` URLs.
///
/// The system's store, unless `SSL_CERT_FILE` names another bundle (as OpenSSL, curl and
/// Python read it); plus a private CA (`ca_file` in a profile, or `REFONTE_CA_FILE`), as a
/// company's TLS-inspecting proxy or a test server needs. `ca_only = true` trusts the private
/// CA alone.
public struct CertificateTrust: Sendable, Hashable {
    /// A PEM file of CA certificates and where it was named.
    public struct CAFile: Sendable, Hashable {
        public var path: String
        /// `profile "corp"`, `REFONTE_CA_FILE`.
        public var origin: String
        var certificates: [NIOSSLCertificate]
    }

    public var caFile: CAFile?
    /// `SSL_CERT_FILE`: the bundle that stands for the system's store.
    public var systemBundle: String?
    /// Trust `caFile` only, not the system's store.
    public var caOnly: Bool

    public init(caFile: CAFile? = nil, systemBundle: String? = nil, caOnly: Bool = false) {
        self.caFile = caFile
        self.systemBundle = systemBundle
        self.caOnly = caOnly && caFile != nil
    }

    /// The system's store alone.
    public static let system = CertificateTrust()

    /// Reads a CA file now, so that a wrong path or a file that is not PEM is reported where
    /// it was configured rather than on the first call.
    public static func loadCAFile(path: String, origin: String) throws(CAFileError) -> CAFile {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CAFileError(path: path, origin: origin, reason: "no such file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw CAFileError(path: path, origin: origin, reason: "it cannot be read (permission denied)")
        }
        let certificates = (try? NIOSSLCertificate.fromPEMFile(path)) ?? []
        guard !certificates.isEmpty else {
            throw CAFileError(
                path: path,
                origin: origin,
                reason: "it holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
            )
        }
        return CAFile(path: path, origin: origin, certificates: certificates)
    }

    /// The TLS settings of a client that trusts these authorities.
    var tlsConfiguration: TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if caOnly, let caFile {
            tls.trustRoots = .certificates(caFile.certificates)
            return tls
        }
        tls.trustRoots = systemBundle.map { .file($0) } ?? .default
        if let caFile { tls.additionalTrustRoots = [.certificates(caFile.certificates)] }
        return tls
    }

    /// One line for `refonte auth status`.
    public var summary: String {
        let system = systemBundle.map { "the bundle in SSL_CERT_FILE (\($0))" } ?? "the system's store"
        guard let caFile else { return system }
        let file = "\(caFile.path) (\(caFile.origin))"
        return caOnly ? "\(file) only (ca_only)" : "\(file) and \(system)"
    }

    /// How a user makes a refused certificate trusted, for error messages.
    var advice: String {
        let how =
            "trust its certificate authority with ca_file = \"/path/to/ca.pem\" in your profile, "
            + "or REFONTE_CA_FILE=/path/to/ca.pem"
        guard let caFile else { return "if the server or a proxy on the way uses a private CA, \(how)" }
        return "the CAs trusted are \(summary); if \(caFile.path) is not the CA that signed it, \(how)"
    }
}

/// A CA file that cannot be used.
public struct CAFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var origin: String
    public var reason: String

    public var description: String { "cannot use CA file \(path) (from \(origin)): \(reason)" }
}
