import Foundation
import NIOSSL

extension TLSFiles {
    /// The server's TLS settings, read from the PEM files now so that a wrong path or a key
    /// that does not fit fails the start, not the first handshake.
    func serverConfiguration() throws(SandboxStartupError) -> TLSConfiguration {
        for (what, path) in [("certificate", certificatePath), ("private key", keyPath)] {
            guard FileManager.default.isReadableFile(atPath: path) else {
                let reason =
                    FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"
                throw SandboxStartupError("cannot read the TLS \(what) \(path): \(reason)")
            }
        }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw SandboxStartupError(
                "cannot read the TLS certificate \(certificatePath): \(Self.reason(error))"
            )
        }
        guard !chain.isEmpty else {
            throw SandboxStartupError(
                "the TLS certificate file \(certificatePath) holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
            )
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw SandboxStartupError("cannot read the TLS private key \(keyPath): \(Self.reason(error))")
        }
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        do {
            // Builds the context once, which checks that the key belongs to the certificate.
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw SandboxStartupError(
                "the TLS private key \(keyPath) does not fit the certificate \(certificatePath)"
            )
        }
        return configuration
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case NIOSSLError.failedToLoadCertificate: "not a PEM certificate"
        case NIOSSLError.failedToLoadPrivateKey: "not a PEM private key (or it is encrypted)"
        default: "unreadable"
        }
    }
}
