import NIOCore
import NIOHTTP1

/// The HTTP layer under `APIClient`: one request out, one complete answer (or an error) back.
///
/// Retries, rate limits and error messages stay in `APIClient`; a transport only moves bytes.
/// Errors are the ones `TransportFailure` sorts (async-http-client's and SwiftNIO's).
protocol HTTPTransport: Sendable {
    /// What `APIClient.transportName` reports.
    var name: String { get }
    /// The `Host` header the client must put in every request, or nil when the transport adds
    /// its own.
    var hostHeader: String? { get }
    func send(_ request: TransportRequest, deadline: NIODeadline) async throws -> APIClient.Answer
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

/// Which HTTP layer a client uses.
public enum ClientTransport: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Plain HTTP to this machine (the sandbox) goes over a lean HTTP/1.1 transport on the
    /// client's event loop; everything else (TLS, other hosts) through async-http-client.
    case automatic
    /// Every request through async-http-client.
    case asyncHTTPClient = "async-http-client"

    public var description: String { rawValue }

    /// `REFONTE_HTTP_TRANSPORT`, or `.automatic` when it is unset or empty.
    public static func fromEnvironment(
        _ environment: [String: String]
    ) throws(UnknownTransport) -> ClientTransport {
        guard let name = environment["REFONTE_HTTP_TRANSPORT"], !name.isEmpty else { return .automatic }
        guard let transport = ClientTransport(rawValue: name) else { throw UnknownTransport(name: name) }
        return transport
    }

    public struct UnknownTransport: Error, CustomStringConvertible {
        public var name: String
        public var description: String {
            "REFONTE_HTTP_TRANSPORT: expected one of "
                + ClientTransport.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                + ", got \"\(name)\""
        }
    }
}
