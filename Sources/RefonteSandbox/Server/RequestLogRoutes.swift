import Hummingbird
import NIOCore

/// `GET /sandbox/requests` and `DELETE /sandbox/requests`: the request log of the key's account
/// (see `RequestLog` and docs/sandbox.md).
struct RequestLogRoutes {
    let log: RequestLog
    let authenticator: Authenticator

    func register(on router: Router<BasicRequestContext>) {
        router.get("/sandbox/requests") { request, _ in
            do {
                let identity = try await authenticator.identify(
                    authorization: request.headers[.authorization]
                )
                let query = try QueryString.items(request.uri.query ?? "")
                let since = try number(query, "since", default: 0, minimum: 0)
                let limit = try number(query, "limit", default: Int64(log.capacity), minimum: 1)
                return Self.json(
                    log.json(tenant: identity.tenant.id, since: since, limit: Int(min(limit, Int64(Int.max))))
                )
            } catch let error as SandboxError {
                return APIResponder.error(error)
            }
        }
        router.delete("/sandbox/requests") { request, _ in
            do {
                let identity = try await authenticator.identify(
                    authorization: request.headers[.authorization]
                )
                log.clear(tenant: identity.tenant.id)
                return Self.json(Array(#"{"cleared":true}"#.utf8))
            } catch let error as SandboxError {
                return APIResponder.error(error)
            }
        }
    }

    private func number(
        _ query: [(name: String, value: String)],
        _ name: String,
        default value: Int64,
        minimum: Int64
    ) throws(SandboxError) -> Int64 {
        guard let text = query.last(where: { $0.name == name })?.value else { return value }
        guard let number = Int64(text), number >= minimum else {
            throw SandboxError.badRequest(
                "sandbox.requests: \(name) must be a whole number of at least \(minimum), got \"\(text)\""
            )
        }
        return number
    }

    private static func json(_ bytes: [UInt8]) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }
}
