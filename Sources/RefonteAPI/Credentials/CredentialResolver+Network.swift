import Foundation

extension CredentialResolver {
    /// The CAs to trust: a private CA from `REFONTE_CA_FILE`, else the profile's `ca_file`
    /// (relative to the config file's folder), on top of the system's store (`SSL_CERT_FILE`
    /// when set); `ca_only = true` in the profile drops the system's store.
    static func resolveTrust(
        environment: [String: String],
        profile: ConfigFile.Profile?,
        configPath: String
    ) throws(CredentialsError) -> CertificateTrust {
        var caFile: CertificateTrust.CAFile?
        do {
            if let path = nonEmpty(environment["REFONTE_CA_FILE"]) {
                let path = expand(path, home: home(environment), relativeTo: nil)
                caFile = try CertificateTrust.loadCAFile(path: path, origin: "REFONTE_CA_FILE")
            } else if let profile, let file = profile.caFile {
                let directory = (configPath as NSString).deletingLastPathComponent
                let path = expand(file, home: home(environment), relativeTo: directory)
                caFile = try CertificateTrust.loadCAFile(
                    path: path,
                    origin: "ca_file of profile \"\(profile.name)\""
                )
            }
        } catch {
            throw CredentialsError(error.description)
        }
        let caOnly = profile?.caOnly ?? false
        if caOnly, caFile == nil, let profile {
            throw .config(
                path: configPath,
                line: profile.line,
                "[profiles.\(profile.name)] sets ca_only = true but names no ca_file (nor is REFONTE_CA_FILE set): "
                    + "nothing would be trusted"
            )
        }
        var systemBundle: String?
        if let path = nonEmpty(environment["SSL_CERT_FILE"]) {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw CredentialsError("environment variable SSL_CERT_FILE: cannot read \(path)")
            }
            systemBundle = path
        }
        return CertificateTrust(caFile: caFile, systemBundle: systemBundle, caOnly: caOnly)
    }

    static func resolveRoute(
        for url: URL,
        environment: [String: String]
    ) throws(CredentialsError) -> ProxyEnvironment.Route {
        do {
            return try ProxyEnvironment.route(for: url, environment: environment)
        } catch {
            throw CredentialsError(error.description)
        }
    }
}
