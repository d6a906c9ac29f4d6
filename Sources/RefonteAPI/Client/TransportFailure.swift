import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A request that got no complete answer, sorted by what the server may have done with it.
struct TransportFailure: Error {
    enum Delivery {
        /// The request never left (no connection could be made): sending it again is safe.
        case notSent
        /// The request may have reached the server: only idempotent calls are sent again.
        case unknown
        /// Sending again cannot help (cancelled, misconfigured, oversized answer).
        case final
    }

    var code: String
    var message: String
    var delivery: Delivery

    init(code: String, message: String, delivery: Delivery) {
        self.code = code
        self.message = message
        self.delivery = delivery
    }

    /// Sorts an error from async-http-client or SwiftNIO.
    /// `target` is `host:port`, for messages.
    init(classifying error: any Error, timeout: Duration, maxResponseBytes: Int, target: String) {
        if error is CancellationError {
            self.init(code: APIError.Code.cancelled, message: "the call was cancelled", delivery: .final)
            return
        }
        if error is NIOTooManyBytesError {
            self.init(
                code: APIError.Code.network,
                message: "the answer is larger than the \(maxResponseBytes)-byte limit",
                delivery: .final
            )
            return
        }
        if let error = error as? HTTPClientError {
            self.init(classifying: error, timeout: timeout, target: target)
            return
        }
        if let error = error as? NIOConnectionError {
            let detail = error.connectionErrors.first.map { " (\($0.error))" } ?? ""
            self.init(
                code: APIError.Code.network,
                message: "could not connect to \(error.host):\(error.port)\(detail)",
                delivery: .notSent
            )
            return
        }
        if let error = error as? IOError {
            let reason = String(cString: strerror(error.errnoCode))
            switch error.errnoCode {
            case ECONNREFUSED, ENETUNREACH, EHOSTUNREACH:
                self.init(
                    code: APIError.Code.network,
                    message: "could not connect to \(target): \(reason)",
                    delivery: .notSent
                )
            default:
                self.init(
                    code: APIError.Code.network,
                    message: "connection to \(target) failed: \(reason)",
                    delivery: .unknown
                )
            }
            return
        }
        if error is HTTPParserError {
            self.init(
                code: APIError.Code.network,
                message: "the connection to \(target) broke before the answer was complete (\(error))",
                delivery: .unknown
            )
            return
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout:
                self.init(
                    code: APIError.Code.timeout,
                    message: "could not connect to \(target) within the time allowed",
                    delivery: .notSent
                )
            default:
                self.init(
                    code: APIError.Code.network,
                    message: "connection to \(target) failed: \(error)",
                    delivery: .unknown
                )
            }
            return
        }
        self.init(
            code: APIError.Code.network,
            message: "request to \(target) failed: \(error)",
            delivery: .unknown
        )
    }

    private init(classifying error: HTTPClientError, timeout: Duration, target: String) {
        switch error {
        case .deadlineExceeded, .readTimeout, .writeTimeout:
            self.init(
                code: APIError.Code.timeout,
                message: "no answer within \(formatted(timeout))",
                delivery: .unknown
            )
        case .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
            self.init(
                code: APIError.Code.timeout,
                message: "could not connect to \(target) within the time allowed",
                delivery: .notSent
            )
        case .remoteConnectionClosed:
            self.init(
                code: APIError.Code.network,
                message: "\(target) closed the connection before answering",
                delivery: .unknown
            )
        case .alreadyShutdown:
            self.init(
                code: APIError.Code.network,
                message: "the client was shut down before the call",
                delivery: .final
            )
        case .cancelled:
            self.init(code: APIError.Code.cancelled, message: "the call was cancelled", delivery: .final)
        case .invalidURL, .emptyHost, .emptyScheme:
            self.init(code: APIError.Code.network, message: "invalid base URL (\(error))", delivery: .final)
        default:
            self.init(code: APIError.Code.network, message: "request failed: \(error)", delivery: .unknown)
        }
    }
}

/// `60s`, `1.89s`, `250ms`: rounded to the millisecond.
func formatted(_ duration: Duration) -> String {
    let milliseconds = Int64((duration.seconds * 1000).rounded())
    if milliseconds < 1000 { return "\(milliseconds)ms" }
    var text = "\(milliseconds / 1000)"
    var fraction = String(milliseconds % 1000)
    if fraction != "0" {
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        text += "." + fraction
    }
    return text + "s"
}
