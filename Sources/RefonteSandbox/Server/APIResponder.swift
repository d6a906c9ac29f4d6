import GRDB
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import RefonteAPI

/// The path of every API request: key, rate limit, injected faults, the catalog's checks, the
/// cache of read responses, the handler, and the contract's error body for every refusal.
struct APIResponder: Sendable {
    static let maximumBodySize = 1 << 20

    let store: SandboxStore
    let authenticator: Authenticator
    let rateLimiter: RateLimiter?
    let faults: FaultInjector
    let cache: ResponseCache
    let requestLog: RequestLog
    let logger: Logger

    /// Answers the request and records it in the request log (`/sandbox/requests`).
    func respond(
        to request: Request,
        context: BasicRequestContext,
        operation: RoutedOperation,
        handler: @escaping OperationHandler,
        pathNames: [(position: String, name: String)]
    ) async throws -> Response {
        let identity = try await authenticator.identify(authorization: request.headers[.authorization])
        requestLog.began(tenant: identity.tenant.id)
        defer { requestLog.ended(tenant: identity.tenant.id) }
        let response = try await answer(
            request,
            context: context,
            operation: operation,
            handler: handler,
            pathNames: pathNames,
            identity: identity
        )
        let fault = response.headers[.sandboxFault]
        requestLog.record(
            tenant: identity.tenant.id,
            method: request.method.rawValue,
            path: request.uri.description,
            operation: operation.id,
            mutates: operation.mutates,
            status: fault == "reset" ? nil : Int(response.status.code),
            fault: fault
        )
        return response
    }

    private func answer(
        _ request: Request,
        context: BasicRequestContext,
        operation: RoutedOperation,
        handler: @escaping OperationHandler,
        pathNames: [(position: String, name: String)],
        identity: Authenticator.Identity
    ) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let rateLimiter {
            let decision = rateLimiter.take(key: identity.key)
            headers[.xRateLimitLimit] = String(decision.limit)
            headers[.xRateLimitRemaining] = String(decision.remaining)
            headers[.xRateLimitReset] = String(decision.reset)
            if !decision.allowed {
                headers[.retryAfter] = String(decision.retryAfter)
                return Self.error(
                    SandboxError(
                        429,
                        "rate limit of \(rateLimiter.limit.wholePerSecond) requests per second exceeded"
                    ),
                    headers: headers
                )
            }
        }
        if faults.faults.latencyMilliseconds > 0 {
            try await Task.sleep(for: .milliseconds(faults.faults.latencyMilliseconds))
        }
        switch faults.early() {
        case .none: break
        case .error:
            headers[.sandboxFault] = "error"
            return Self.error(SandboxError(500, "injected fault: internal error"), headers: headers)
        case .throttle:
            headers[.retryAfter] = "1"
            headers[.sandboxFault] = "throttle"
            return Self.error(SandboxError(429, "injected fault: too many requests"), headers: headers)
        case .reset:
            headers[.sandboxFault] = "reset"
            return Response(status: .ok, headers: headers, body: ResponseBody { _ in throw InjectedReset() })
        }

        // Reads are served from the cache while the tenant's data is unchanged.
        let tenant = identity.tenant
        var cacheKey: String?
        var generation: UInt64 = 0
        // A read that carries a body is checked afresh: the body might be refused.
        let hasBody =
            (request.headers[.contentLength].flatMap(Int.init) ?? 0) > 0
            || request.headers[.transferEncoding] != nil
        if !operation.mutates, !hasBody {
            let key = "\(tenant.id) \(operation.id) \(request.uri.description)"
            generation = store.generation(of: tenant.id, reading: DataScope.read(by: operation.id))
            if let body = cache.body(for: key, generation: generation) {
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
            }
            cacheKey = key
        }

        do {
            let checked = try await check(
                request,
                context: context,
                operation: operation,
                pathNames: pathNames
            )
            let bytes = try await handler(
                OperationRequest(arguments: checked, tenant: tenant),
                store
            )
            if operation.mutates, faults.lateError() {
                headers[.sandboxFault] = "late-error"
                return Self.error(
                    SandboxError(500, "injected fault: internal error after the write"),
                    headers: headers
                )
            }
            let body = ByteBuffer(bytes: bytes)
            if let cacheKey { cache.store(body, for: cacheKey, generation: generation) }
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
        } catch {
            return Self.error(translate(error, operation: operation.id), headers: headers)
        }
    }

    /// Collects the body (413 over 1 MiB), decodes path and query, and runs the catalog's checks.
    private func check(
        _ request: Request,
        context: BasicRequestContext,
        operation: RoutedOperation,
        pathNames: [(position: String, name: String)]
    ) async throws -> ValidatedRequest {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > Self.maximumBodySize {
            throw SandboxError(413, "\(operation.id): request body is larger than 1 MiB")
        }
        var buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.maximumBodySize)
        } catch {
            throw SandboxError(413, "\(operation.id): request body is larger than 1 MiB")
        }
        let body = buffer.readableBytes == 0 ? nil : buffer.readBytes(length: buffer.readableBytes)
        var path: [String: String] = [:]
        for (position, name) in pathNames {
            guard let raw = context.parameters.get(position) else { continue }
            path[name] = try QueryString.decode(raw, plusIsSpace: false, what: "path parameter \(name)")
        }
        let query = try QueryString.items(request.uri.query ?? "")
        return try operation.validate(path, query, body)
    }

    private func translate(_ error: any Error, operation: String) -> SandboxError {
        switch error {
        case let error as SandboxError:
            return error
        case let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT:
            // Two writers raced past the same check; the loser sees the duplicate.
            return SandboxError(409, "\(operation): duplicate: \(error.message ?? "constraint failed")")
        case let error as DatabaseError
        where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED:
            return SandboxError(503, "\(operation): the sandbox database is busy; retry")
        default:
            logger.error("internal error", metadata: ["operation": "\(operation)", "error": "\(error)"])
            return SandboxError(500, "\(operation): internal error")
        }
    }

    static func error(
        _ error: SandboxError,
        headers: HTTPFields = [.contentType: "application/json"]
    ) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        if error.status == 503, headers[.retryAfter] == nil { headers[.retryAfter] = "1" }
        return Response(
            status: HTTPResponse.Status(code: error.status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: error.body))
        )
    }
}

extension HTTPTypes.HTTPField.Name {
    static let xRateLimitLimit = Self("X-RateLimit-Limit")!
    static let xRateLimitRemaining = Self("X-RateLimit-Remaining")!
    static let xRateLimitReset = Self("X-RateLimit-Reset")!
    /// Names the injected fault (`--faults`) that decided an answer.
    static let sandboxFault = Self("X-Sandbox-Fault")!
}
