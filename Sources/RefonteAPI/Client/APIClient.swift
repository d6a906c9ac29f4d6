import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Quantities

/// Sends prepared requests to the API: rate limit, then HTTP with Basic auth, then retries.
///
/// One client holds one connection pool (keep-alive), so create one per account and share it
/// between all coroutines of a script. Call `shutdown()` when done, or use `withClient`.
public final class APIClient: Sendable {
    public let configuration: ClientConfiguration
    private let transport: any HTTPTransport
    /// The base URL's path (`/v1`), in front of every request's target.
    private let basePath: String
    private let bucket: TokenBucket?
    private let clock: ClientClock
    private let logger: Logger
    /// Authorization, Content-Type, Accept and User-Agent: the same on every request.
    private let headers: HTTPHeaders
    private let userAgent: String
    /// Where calls go, for error messages.
    private let failureContext: TransportFailure.Context

    public init(configuration: ClientConfiguration, clock: ClientClock = .system, logger: Logger) {
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        let url = configuration.baseURL
        self.transport = AsyncHTTPClientTransport(configuration: configuration)
        self.basePath = RequestURL.split(url).path
        self.bucket = configuration.rateLimit.map { TokenBucket($0, now: clock.now()) }
        self.userAgent = UserAgent.make(suffix: configuration.userAgentSuffix)
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: configuration.apiKey.basicAuthorizationHeader())
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "User-Agent", value: userAgent)
        self.headers = headers
        let host = url.host ?? "?"
        let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
        self.failureContext = TransportFailure.Context(
            target: host.contains(":") && !host.hasPrefix("[") ? "[\(host)]:\(port)" : "\(host):\(port)",
            host: host,
            timeout: configuration.timeout,
            maxResponseBytes: configuration.maxResponseBytes,
            proxy: configuration.proxy,
            trust: configuration.trust
        )
    }

    /// Runs `body` with a client and shuts it down afterwards, whatever happens.
    public static func withClient<Result>(
        configuration: ClientConfiguration,
        clock: ClientClock = .system,
        logger: Logger,
        _ body: (APIClient) async throws -> Result
    ) async throws -> Result {
        let client = APIClient(configuration: configuration, clock: clock, logger: logger)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// Closes the pooled connections. The client cannot be used afterwards.
    public func shutdown() async {
        await transport.shutdown()
    }

    /// The user agent this client sends.
    public var userAgentHeader: String { userAgent }

    /// Sends the request, retrying as `configuration.retry` allows, and returns the 200
    /// answer. Anything else becomes an `APIError` that never mentions the API key.
    public func send(
        _ request: PreparedRequest,
        timeout: Duration? = nil
    ) async throws(APIError) -> APIResponse {
        let timeout = timeout ?? configuration.timeout
        let target = RequestURL.target(basePath: basePath, request: request)
        let outgoing = TransportRequest(
            method: NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue),
            target: target,
            headers: headers,
            body: request.body
        )
        var attempt = 0
        while true {
            attempt += 1
            if let bucket {
                let wait = await bucket.reserve(now: clock.now())
                if wait > .zero { try await pause(for: wait, request: request, attempts: attempt - 1) }
            }
            logger.debug(
                "sending",
                metadata: [
                    "operation": "\(request.operationID)", "method": "\(request.method.rawValue)",
                    "attempt": "\(attempt)",
                ]
            )
            let failure: Failure
            switch await sendOnce(outgoing, timeout: timeout) {
            case .success(let answer) where answer.status == 200:
                return answer.response(attempts: attempt)
            case .success(let answer):
                failure = .status(answer)
            case .failure(let transport):
                failure = .transport(transport)
            }
            guard let delay = retryDelay(after: failure, request: request, attempt: attempt) else {
                throw makeError(failure, request: request, attempts: attempt)
            }
            logger.info(
                "retrying refonte.\(request.operationID)",
                metadata: [
                    "operation": "\(request.operationID)",
                    "attempt": "\(attempt)",
                    "status": "\(failure.statusText)",
                    "code": "\(failure.code)",
                    "delay": "\(DurationText.format(delay))",
                ]
            )
            if case .status(let answer) = failure, answer.status == 429, let bucket {
                // Every coroutine sharing this client holds back, not just this one.
                let now = clock.now()
                await bucket.pause(until: now + delay, now: now)
            }
            try await pause(for: delay, request: request, attempts: attempt)
        }
    }

    // MARK: - One attempt

    /// A complete answer of any status, as a transport delivers it.
    struct Answer: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer?

        var bytes: [UInt8] { body.map { Array($0.readableBytesView) } ?? [] }

        func response(attempts: Int) -> APIResponse {
            APIResponse(status: status, fields: headers, body: bytes, attempts: attempts)
        }
    }

    enum Failure {
        case status(Answer)
        case transport(TransportFailure)

        var code: String {
            switch self {
            case .status(let answer): APIError.code(forStatus: answer.status)
            case .transport(let failure): failure.code
            }
        }

        var statusText: String {
            switch self {
            case .status(let answer): "\(answer.status)"
            case .transport: "none"
            }
        }
    }

    private func sendOnce(
        _ request: TransportRequest,
        timeout: Duration
    ) async -> Result<Answer, TransportFailure> {
        do {
            let deadline = NIODeadline.now() + .nanoseconds(timeout.nanoseconds)
            return .success(try await transport.send(request, deadline: deadline))
        } catch {
            // The original error is for debugging only: its text is the libraries' own, and
            // BoringSSL's carries paths of the machine that built the binary.
            logger.debug(
                "transport error",
                metadata: ["error": "\(withoutBuildPaths(String(describing: error)))"]
            )
            var context = failureContext
            context.timeout = timeout
            let failure = TransportFailure(classifying: error, context: context)
            guard failure.certificate != nil else { return .failure(failure) }
            let finding = await transport.inspectCertificate(timeout: timeout)
            return .failure(failure.explained(by: finding, context: context))
        }
    }

    // MARK: - Retries

    /// How long to wait before the next attempt, or nil to give up.
    func retryDelay(after failure: Failure, request: PreparedRequest, attempt: Int) -> Duration? {
        let policy = configuration.retry
        guard attempt < policy.maxAttempts else { return nil }
        // A server error or a broken connection may hide a write that happened: only calls
        // that are safe to repeat go again.
        let safe = request.idempotent || request.method == .get
        switch failure {
        case .status(let answer):
            let retryAfter = RetryAfter.parse(answer.headers.first(name: "retry-after"))
            switch answer.status {
            case 429:
                // The server did nothing, so any call may go again, once it lets us.
                return delay(honouring: retryAfter, attempt: attempt)
            case 503:
                return safe ? delay(honouring: retryAfter, attempt: attempt) : nil
            case 500, 502, 504:
                return safe ? policy.backoff(afterAttempt: attempt) : nil
            default:
                return nil
            }
        case .transport(let transport):
            switch transport.delivery {
            case .notSent: return policy.backoff(afterAttempt: attempt)
            case .unknown: return safe ? policy.backoff(afterAttempt: attempt) : nil
            case .final: return nil
            }
        }
    }

    private func delay(honouring retryAfter: Double?, attempt: Int) -> Duration? {
        guard let retryAfter else { return configuration.retry.backoff(afterAttempt: attempt) }
        let wait = Duration.seconds(retryAfter)
        return wait <= configuration.retry.maxRetryAfter ? wait : nil
    }

    private func pause(for delay: Duration, request: PreparedRequest, attempts: Int) async throws(APIError) {
        do {
            try await clock.sleep(delay)
        } catch {
            throw APIError(
                operationID: request.operationID,
                status: nil,
                code: APIError.Code.cancelled,
                message: "the call was cancelled while waiting to be sent",
                attempts: attempts
            )
        }
    }

    // MARK: - Errors

    private func makeError(_ failure: Failure, request: PreparedRequest, attempts: Int) -> APIError {
        switch failure {
        case .status(let answer):
            return APIError(
                operationID: request.operationID,
                status: answer.status,
                code: APIError.code(forStatus: answer.status),
                message: configuration.apiKey.redacting(
                    ErrorBody.message(status: answer.status, body: answer.bytes)
                ),
                retryAfter: RetryAfter.parse(answer.headers.first(name: "retry-after")),
                attempts: attempts
            )
        case .transport(let transport):
            return APIError(
                operationID: request.operationID,
                status: nil,
                code: transport.code,
                message: configuration.apiKey.redacting(transport.message),
                attempts: attempts
            )
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let parts = components
        return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }
}
