import Hummingbird
import Logging

/// Turns anything thrown below it into the contract's error body: unknown routes become a JSON
/// 404, and nothing leaves the server as a bare HTML or text error.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as SandboxError {
            return APIResponder.error(error)
        } catch let error as HTTPError {
            let message =
                error.status == .notFound
                ? "no such route: \(request.method) \(request.uri.path)"
                : (error.body ?? error.status.reasonPhrase)
            return APIResponder.error(SandboxError(error.status.code, message))
        } catch {
            context.logger.error("internal error", metadata: ["error": "\(error)"])
            return APIResponder.error(SandboxError(500, "internal error"))
        }
    }
}
