import Logging
import NIOHTTP1

/// How long to wait before the next attempt, and who said so.
struct RetryDelay {
    enum Source: String {
        /// The server's `Retry-After` header.
        case retryAfter = "retry-after"
        /// The client's exponential backoff with full jitter.
        case backoff
    }

    var duration: Duration
    var source: Source
}

/// What a recovery read found out about an ambiguous write.
enum RecoveryOutcome {
    /// It took effect; this stands for its answer.
    case found(APIResponse)
    /// The read shows no sign of it.
    case absent
    /// The read failed: nobody knows.
    case unknown
}

extension APIClient {
    /// The operation's retry class from the catalog. A key-based class needs the key: a task
    /// created without a `unique_id` (a caller that bypassed the run's key derivation) cannot
    /// be told apart from a second one, so it is never sent again.
    static func retryClass(of request: PreparedRequest) -> RetryClass {
        guard let operation = Catalog.operation(id: request.operationID) else {
            return request.method == .get ? .safe : request.idempotent ? .idempotent : .never
        }
        if case .idempotentByKey(let recovery) = operation.retry, let key = recovery.derivedKey,
            operation.wireArguments(of: request).values[key] == nil
        {
            return .never
        }
        return operation.retry
    }

    /// How long to wait before the next attempt, or nil to give up. `failedAttempts` leaves out
    /// 429s: a server that asks us to wait is pacing us, and the retry budget bounds those.
    func retryDelay(after failure: Failure, retryClass: RetryClass, failedAttempts: Int) -> RetryDelay? {
        let policy = configuration.retry
        let repeats = retryClass.repeatsAfterAmbiguity
        switch failure {
        case .status(let answer):
            let retryAfter = RetryAfter.parse(answer.headers.first(name: "retry-after"))
            if answer.status == 429 {
                // The server did nothing, so any call may go again, once it lets us.
                return delay(honouring: retryAfter, attempt: failedAttempts + 1)
            }
            guard failedAttempts < policy.maxAttempts else { return nil }
            switch answer.status {
            case 503:
                return repeats ? delay(honouring: retryAfter, attempt: failedAttempts) : nil
            case 500, 502, 504:
                return repeats
                    ? RetryDelay(duration: policy.backoff(afterAttempt: failedAttempts), source: .backoff)
                    : nil
            default:
                return nil
            }
        case .transport(let transport):
            guard failedAttempts < policy.maxAttempts else { return nil }
            let backoff = RetryDelay(duration: policy.backoff(afterAttempt: failedAttempts), source: .backoff)
            switch transport.delivery {
            case .notSent: return backoff
            case .unknown: return repeats ? backoff : nil
            case .final: return nil
            }
        }
    }

    private func delay(honouring retryAfter: Double?, attempt: Int) -> RetryDelay? {
        guard let retryAfter else {
            return RetryDelay(duration: configuration.retry.backoff(afterAttempt: attempt), source: .backoff)
        }
        let wait = Duration.seconds(retryAfter)
        return wait <= configuration.retry.maxRetryAfter
            ? RetryDelay(duration: wait, source: .retryAfter) : nil
    }

    /// Finds out, with the read the catalog names, whether an attempt of `request` that
    /// failed ambiguously took effect.
    func recover(
        _ request: PreparedRequest,
        with recovery: Recovery,
        attempts: Int,
        timeout: Duration
    ) async -> RecoveryOutcome {
        guard let operation = Catalog.operation(id: request.operationID),
            let read = recovery.read(for: request, of: operation)
        else { return .unknown }
        statistics.recoveryRead()
        let answer: APIResponse
        do {
            answer = try await perform(read, timeout: timeout)
        } catch {
            logger.warning(
                "cannot tell whether refonte.\(request.operationID) took effect",
                metadata: [
                    "operation": "\(request.operationID)", "via": "\(read.operationID)", "error": "\(error)",
                ]
            )
            return .unknown
        }
        guard let body = recovery.pick(from: answer.body, for: request, of: operation) else { return .absent }
        statistics.recovered()
        logger.info(
            "refonte.\(request.operationID) had taken effect before its answer was lost",
            metadata: [
                "operation": "\(request.operationID)", "via": "\(read.operationID)", "attempt": "\(attempts)",
            ]
        )
        return .found(APIResponse(status: 200, fields: answer.fields, body: body, attempts: attempts))
    }
}
