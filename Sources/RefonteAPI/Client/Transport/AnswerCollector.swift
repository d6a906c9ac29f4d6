import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Collects one response (status, headers, body up to a limit) for AHC's delegate API.
///
/// `AsyncHTTPClientTransport` uses the delegate API rather than `execute(_:deadline:)`: that one
/// starts an unstructured task per request to watch for cancellation, which wakes a thread of
/// the global executor on every call; a script making calls one after another pays for that
/// wake-up every time.
///
/// AHC calls a delegate only on the request's event loop, one callback at a time, so the
/// mutable state needs no lock.
final class AnswerCollector: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = APIClient.Answer

    private let limit: Int
    private var status = 0
    private var headers = HTTPHeaders()
    private var body: ByteBuffer?

    init(limit: Int) {
        self.limit = limit
    }

    func didReceiveHead(task: HTTPClient.Task<Response>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        status = Int(head.status.code)
        headers = head.headers
        if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > limit {
            return task.eventLoop.makeFailedFuture(NIOTooManyBytesError(maxBytes: limit))
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Response>, _ part: ByteBuffer) -> EventLoopFuture<Void> {
        if body == nil {
            body = part
        } else {
            var part = part
            body!.writeBuffer(&part)
        }
        if body!.readableBytes > limit {
            return task.eventLoop.makeFailedFuture(NIOTooManyBytesError(maxBytes: limit))
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Response>) throws -> Response {
        APIClient.Answer(status: status, headers: headers, body: body)
    }
}
