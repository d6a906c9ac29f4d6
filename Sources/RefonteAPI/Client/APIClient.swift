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
    let clock: ClientClock
    let logger: Logger
    /// What this client did, for the run's summary.
    public let statistics: CallStatistics
    let budget: RetryBudget
    /// Authorization, Content-Type, Accept and User-Agent: the same on every request.
    private let headers: HTTPHeaders
    private let userAgent: String
    /// Where calls go, for error messages.
    private let failureContext: TransportFailure.Context

    public init(
        configuration: ClientConfiguration,
        clock: ClientClock = .system,
        statistics: CallStatistics = CallStatistics(),
        logger: Logger
    ) {
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        self.statistics = statistics
        self.budget = RetryBudget(capacity: configuration.retry.budget)
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

    /// Sends the request, retrying as its retry class (`Operation.retry`) and
    /// `configuration.retry` allow, and returns the 200 answer. Anything else becomes an
    /// `APIError` that never mentions the API key.
    public func send(
        _ request: PreparedRequest,
        timeout: Duration? = nil
    ) async throws(APIError) -> APIResponse {
        statistics.called(request.operationID)
        return try await perform(request, timeout: timeout ?? configuration.timeout)
    }

    /// One call from the first attempt to its answer: paced, sent, and sent again while the
    /// failure and the operation's retry class allow it and the run's retry budget lasts.
    func perform(_ request: PreparedRequest, timeout: Duration) async throws(APIError) -> APIResponse {
        let target = RequestURL.target(basePath: basePath, request: request)
        let outgoing = TransportRequest(
            method: NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue),
            target: target,
            headers: headers,
            body: request.body
        )
        let retryClass = Self.retryClass(of: request)
        var attempt = 0
        var throttled = 0
        // Set once an attempt may have taken effect although it failed (a 5xx, a broken
        // connection): a later 409 may be that attempt's own doing.
        var ambiguous = false
        while true {
            attempt += 1
            try await throttle(request, attempts: attempt - 1)
            let sent = ContinuousClock.now
            let result = await sendOnce(outgoing, timeout: timeout)
            logAttempt(
                request,
                target: target,
                result: result,
                attempt: attempt,
                took: ContinuousClock.now - sent
            )
            let failure: Failure
            switch result {
            case .success(let answer) where answer.status == 200:
                budget.refund()
                return answer.response(attempts: attempt)
            case .success(let answer):
                failure = .status(answer)
            case .failure(let transport):
                failure = .transport(transport)
            }
            if ambiguous, failure.isDuplicate, case .idempotentByKey(let recovery) = retryClass {
                if case .found(let response) = await recover(
                    request,
                    with: recovery,
                    attempts: attempt,
                    timeout: timeout
                ) {
                    return response
                }
                throw makeError(failure, request: request, attempts: attempt)
            }
            if failure.isThrottled { throttled += 1 }
            guard
                let delay = retryDelay(
                    after: failure,
                    retryClass: retryClass,
                    failedAttempts: attempt - throttled
                )
            else {
                throw makeError(failure, request: request, attempts: attempt, ambiguous: ambiguous)
            }
            guard budget.spend() else {
                throw makeError(failure, request: request, attempts: attempt, budgetSpent: true)
            }
            if failure.mayHaveTakenEffect { ambiguous = true }
            statistics.retried()
            logger.info(
                "retrying refonte.\(request.operationID)",
                metadata: [
                    "operation": "\(request.operationID)",
                    "attempt": "\(attempt)",
                    "status": "\(failure.statusText)",
                    "code": "\(failure.code)",
                    "delay": "\(DurationText.format(delay.duration))",
                    "delay_from": "\(delay.source.rawValue)",
                ]
            )
            if failure.isThrottled, let bucket {
                // Every coroutine sharing this client holds back, not just this one.
                let now = clock.now()
                await bucket.pause(until: now + delay.duration, now: now)
            }
            try await pause(for: delay.duration, request: request, attempts: attempt)
            if ambiguous, case .checked(let recovery) = retryClass {
                switch await recover(request, with: recovery, attempts: attempt, timeout: timeout) {
                case .found(let response): return response
                case .absent: break
                case .unknown: throw makeError(failure, request: request, attempts: attempt, ambiguous: true)
                }
            }
        }
    }

    /// One debug line per attempt, the line to read when a run misbehaves:
    /// `debug: refonte.tasks.list GET /v1/tasks?limit=100 200 duration=41ms attempt=1 sent=2 received=48213`.
    private func logAttempt(
        _ request: PreparedRequest,
        target: String,
        result: Result<Answer, TransportFailure>,
        attempt: Int,
        took: Duration
    ) {
        guard logger.logLevel <= .debug else { return }
        let status: String
        var metadata: Logger.Metadata = [
            "duration": "\(DurationText.format(took))",
            "attempt": "\(attempt)",
            "sent": "\(request.body?.count ?? 0)",
        ]
        switch result {
        case .success(let answer):
            status = "\(answer.status)"
            metadata["received"] = "\(answer.body?.readableBytes ?? 0)"
        case .failure(let failure):
            status = "failed"
            metadata["code"] = "\(failure.code)"
        }
        logger.debug(
            "refonte.\(request.operationID) \(request.method.rawValue) \(target) \(status)",
            metadata: metadata
        )
    }

    /// Waits for the rate limiter's go, counting the wait as throttled time.
    private func throttle(_ request: PreparedRequest, attempts: Int) async throws(APIError) {
        guard let bucket else { return }
        let now = clock.now()
        let wait = await bucket.reserve(now: now)
        guard wait > .zero else { return }
        statistics.beginWait(now: now)
        defer { statistics.endWait(now: clock.now()) }
        try await pause(for: wait, request: request, attempts: attempts)
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

        /// A 429: the server did nothing and asked us to wait.
        var isThrottled: Bool {
            if case .status(let answer) = self { return answer.status == 429 }
            return false
        }

        /// A 409: a key or a name is taken.
        var isDuplicate: Bool {
            if case .status(let answer) = self { return answer.status == 409 }
            return false
        }

        /// The request may have been carried out although it failed.
        var mayHaveTakenEffect: Bool {
            switch self {
            case .status(let answer): answer.status >= 500
            case .transport(let failure): failure.delivery == .unknown
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
                metadata: ["error": "\(TransportFailure.debugDescription(of: error))"]
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

    func makeError(
        _ failure: Failure,
        request: PreparedRequest,
        attempts: Int,
        ambiguous: Bool = false,
        budgetSpent: Bool = false
    ) -> APIError {
        var error: APIError
        switch failure {
        case .status(let answer):
            error = APIError(
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
            error = APIError(
                operationID: request.operationID,
                status: nil,
                code: transport.code,
                message: configuration.apiKey.redacting(transport.message),
                attempts: attempts
            )
        }
        if budgetSpent {
            error.message +=
                "; not retried: the run's retry budget (\(budget.capacity) retries without a success in between) is spent"
        } else if request.method != .get, ambiguous || failure.mayHaveTakenEffect {
            error.message += "; it may have taken effect"
        }
        return error
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let parts = components
        return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }
}
