import NIOCore
import NIOHTTP1

/// The HTTP layer under `APIClient`: one request out, one complete answer (or an error) back.
///
/// Retries, rate limits and error messages stay in `APIClient`; a transport only moves bytes.
/// Its errors are the ones `TransportFailure` sorts.
protocol HTTPTransport: Sendable {
    func send(_ request: TransportRequest, deadline: NIODeadline) async throws -> APIClient.Answer
    /// The certificate the server presents, read without trusting it, to explain a refusal.
    func inspectCertificate(timeout: Duration) async -> CertificateInspection.Finding?
    func shutdown() async
}

/// A request in wire form. The transport knows the origin it sends to.
struct TransportRequest: Sendable {
    var method: NIOHTTP1.HTTPMethod
    /// The request target (`/v1/teams?x=1`).
    var target: String
    var headers: HTTPHeaders
    var body: [UInt8]?
}
