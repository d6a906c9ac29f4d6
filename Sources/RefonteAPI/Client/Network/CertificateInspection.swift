import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// Why a server's certificate was refused, in plain words.
///
/// A refused handshake only says "certificate verify failed". To tell an expired certificate
/// from one no trusted authority signed, or to name the hosts a certificate is for, this opens
/// one more connection the same way (through the same proxy) with verification off, reads the
/// certificate the server presents, and closes the connection before anything is sent on it:
/// no request, and so no key, ever crosses an unverified connection.
enum CertificateInspection {
    struct Finding: Sendable {
        var notValidBefore: time_t
        var notValidAfter: time_t
        /// DNS names and IP addresses the certificate is for.
        var names: [String]
    }

    /// The server's leaf certificate, or nil when it could not be read.
    static func inspect(
        origin: String,
        proxy: HTTPProxy?,
        eventLoopGroup: any EventLoopGroup,
        timeout: Duration
    ) async -> Finding? {
        let found = Mutex<Finding?>(nil)
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(connect: .nanoseconds(min(timeout, .seconds(10)).nanoseconds)),
            proxy: proxy?.asyncHTTPClientProxy
        )
        configuration.httpVersion = .http1Only
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.http1_1ConnectionDebugInitializer = { channel in
            channel.nioSSL_peerCertificate().flatMapThrowing { certificate in
                if let certificate { found.withLock { $0 = Finding(certificate) } }
                // Refusing the connection here closes it before the request is written.
                throw InspectionDone()
            }
        }
        let client = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
        if let request = try? HTTPClient.Request(url: origin + "/", method: .HEAD) {
            _ = try? await client.execute(request: request, deadline: .now() + .seconds(10)).get()
        }
        try? await client.shutdown()
        return found.withLock { $0 }
    }

    private struct InspectionDone: Error {}

    /// The reason a verifying client refused the certificate of `host`, given what it holds.
    static func reason(
        _ finding: Finding?,
        host: String,
        hostNameRefused: Bool,
        now: time_t = time(nil)
    ) -> String {
        guard let finding else {
            return hostNameRefused
                ? "its certificate is for another host name"
                : "no trusted certificate authority vouches for its certificate (it may be self-signed, "
                    + "signed by a private CA, or expired)"
        }
        if finding.notValidAfter < now {
            return "its certificate expired on \(day(finding.notValidAfter))"
        }
        if finding.notValidBefore > now {
            return
                "its certificate is not valid before \(day(finding.notValidBefore)) (is this machine's clock right?)"
        }
        if hostNameRefused {
            let names = finding.names.isEmpty ? "no host name" : finding.names.joined(separator: ", ")
            return "its certificate is for \(names), not \(host)"
        }
        return "no trusted certificate authority vouches for its certificate (it is self-signed, or signed "
            + "by a private CA)"
    }

    private static func day(_ time: time_t) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(time)))
    }
}

extension CertificateInspection.Finding {
    init(_ certificate: NIOSSLCertificate) {
        notValidBefore = certificate.notValidBefore
        notValidAfter = certificate.notValidAfter
        names = certificate._subjectAlternativeNames().compactMap { name in
            switch name.nameType {
            case .dnsName:
                return String(decoding: Array(name.contents), as: UTF8.self)
            case .ipAddress:
                return Self.address(Array(name.contents))
            default:
                return nil
            }
        }
    }

    private static func address(_ bytes: [UInt8]) -> String? {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        guard bytes.count == 16 else { return nil }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(AF_INET6, raw.baseAddress, &text, socklen_t(text.count)) != nil
        }
        guard ok else { return nil }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
