import Logging
import RefonteAPI
import Synchronization

/// Where a script's API calls go, opened on the first call.
///
/// Opening is lazy so that a script that makes no call starts no client and no embedded sandbox
/// (`refonte run -e ''` stays fast). Calls from many coroutines may be in flight at once: the
/// actor only guards opening, and the client's own `send` runs concurrently. Every call passes
/// through the run's `RunSession`, which answers a dry run's writes itself and audits the rest.
public actor APIConnection {
    /// An open connection: the client to send with, and how to close it afterwards.
    public struct Endpoint: Sendable {
        public var client: APIClient
        /// The base URL in effect, for `refonte.env.base_url`.
        public var baseURL: String
        /// Runs after the client has shut down (stops an embedded sandbox).
        public var onClose: @Sendable () async -> Void

        public init(client: APIClient, baseURL: String, onClose: @escaping @Sendable () async -> Void = {}) {
            self.client = client
            self.baseURL = baseURL
            self.onClose = onClose
        }
    }

    private enum Phase {
        case idle
        case opening(Task<Endpoint, any Error>)
        case open(Endpoint)
        case failed(String)
        case closed
    }

    private let open: @Sendable () async throws -> Endpoint
    public nonisolated let session: RunSession
    private var phase = Phase.idle
    /// The endpoint once open, readable without entering the actor: after the first call,
    /// every call goes straight to the client instead of queueing on the actor first.
    private let opened = Mutex<Endpoint?>(nil)
    private let counts = Mutex(CallCounts())

    /// The calls sent so far and how many of them were writes (`refonte run --summary-out`).
    public struct CallCounts: Sendable, Equatable {
        public var calls = 0
        public var writes = 0
    }

    public nonisolated var callCounts: CallCounts { counts.withLock { $0 } }

    /// `session` defaults to a live run that keeps no audit log.
    public init(session: RunSession? = nil, open: @escaping @Sendable () async throws -> Endpoint) {
        self.open = open
        self.session =
            session
            ?? RunSession(
                context: RunContext(target: .account(baseURL: "")),
                logger: Logger(label: "refonte.session", factory: { _ in SwiftLogNoOpLogHandler() })
            )
    }

    /// Sends one prepared request, opening the connection first when needed, unless the run's
    /// session answers it itself (a write in a dry run).
    public nonisolated func send(_ request: PreparedRequest) async -> APICallOutcome {
        let answer = await session.perform(request) { request in await deliver(request) }
        return APICallOutcome(
            result: answer.result,
            baseURL: opened.withLock { $0?.baseURL },
            placeholderPrefix: answer.planned ? session.placeholderPrefix : nil
        )
    }

    /// Sends one request as it is, past the session (which calls this for what it lets through).
    public nonisolated func deliver(_ request: PreparedRequest) async -> Result<APIResponse, APIError> {
        // Counted here, where a request leaves for the server: a dry run's planned writes are not.
        counts.withLock {
            $0.calls += 1
            if Catalog.operation(id: request.operationID)?.mutates == true { $0.writes += 1 }
        }
        let endpoint: Endpoint
        if let open = opened.withLock({ $0 }) {
            endpoint = open
        } else {
            switch await endpointOrError(for: request.operationID) {
            case .success(let open): endpoint = open
            case .failure(let error): return .failure(error)
            }
        }
        do {
            return .success(try await endpoint.client.send(request))
        } catch {
            return .failure(error)
        }
    }

    /// Shuts the client down and runs the endpoint's `onClose`; later calls fail.
    public func close() async {
        let previous = phase
        phase = .closed
        opened.withLock { $0 = nil }
        var endpoint: Endpoint?
        switch previous {
        case .open(let opened): endpoint = opened
        case .opening(let task): endpoint = try? await task.value
        case .idle, .failed, .closed: break
        }
        if let endpoint {
            await endpoint.client.shutdown()
            await endpoint.onClose()
        }
    }

    private func endpointOrError(for operationID: String) async -> Result<Endpoint, APIError> {
        switch phase {
        case .open(let endpoint):
            return .success(endpoint)
        case .failed(let message):
            return .failure(Self.unavailable(operationID, message))
        case .closed:
            return .failure(
                Self.unavailable(operationID, "the connection is closed: the script has finished")
            )
        case .opening(let task):
            return await settle(task, operationID)
        case .idle:
            let task = Task { try await open() }
            phase = .opening(task)
            return await settle(task, operationID)
        }
    }

    private func settle(
        _ task: Task<Endpoint, any Error>,
        _ operationID: String
    ) async -> Result<Endpoint, APIError> {
        do {
            let endpoint = try await task.value
            if case .opening = phase {
                phase = .open(endpoint)
                opened.withLock { $0 = endpoint }
            }
            return .success(endpoint)
        } catch {
            let message = "cannot connect: \(error)"
            if case .opening = phase { phase = .failed(message) }
            return .failure(Self.unavailable(operationID, message))
        }
    }

    private static func unavailable(_ operationID: String, _ message: String) -> APIError {
        APIError(operationID: operationID, status: nil, code: APIError.Code.network, message: message)
    }
}

/// What one call brings back to the Lua thread.
public struct APICallOutcome: Sendable {
    public var result: Result<APIResponse, APIError>
    /// The base URL the call went to, once the connection is open.
    public var baseURL: String?
    /// Set when a dry run answered the call: strings starting with it are placeholders.
    public var placeholderPrefix: String?
}
