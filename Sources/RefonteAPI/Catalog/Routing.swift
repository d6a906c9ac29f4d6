/// Finds the operation that a request names, for the sandbox (and anything else that serves
/// the API from the catalog), so that routes come from the same table as everything else.
public enum Route: Sendable {
    /// `pathParameters` are keyed by the template's names and percent-decoded, ready for
    /// `Operation.validate`.
    case found(Operation, pathParameters: [String: String])
    /// The path exists, with other methods (a 405 answer lists them).
    case methodNotAllowed(allowed: [HTTPMethod])
    case notFound
}

extension Catalog {
    /// Matches a request path relative to the base URL (`/studio/projects/My%20P/groups`, no
    /// `/v1`, no query) against every operation's path and aliases. A literal segment beats a
    /// `{parameter}`, so `/studio/batches/set_priorities` is never read as a batch name. A
    /// segment whose percent-escapes do not decode to UTF-8 matches nothing.
    public static func route(method: HTTPMethod, path: String) -> Route {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(
            String.init
        )
        var best: (operation: Operation, parameters: [String: String], literals: Int)?
        var allowed: [HTTPMethod] = []
        for template in routeTemplates {
            guard let (parameters, literals) = match(template.segments, segments) else { continue }
            if template.method != method {
                if !allowed.contains(template.method) { allowed.append(template.method) }
                continue
            }
            if literals > (best?.literals ?? -1) {
                best = (template.operation, parameters, literals)
            }
        }
        if let best { return .found(best.operation, pathParameters: best.parameters) }
        if !allowed.isEmpty {
            return .methodNotAllowed(allowed: HTTPMethod.allCases.filter(allowed.contains))
        }
        return .notFound
    }

    private struct RouteTemplate: Sendable {
        var method: HTTPMethod
        var segments: [String]
        var operation: Operation
    }

    private static let routeTemplates: [RouteTemplate] = operations.flatMap { operation in
        ([(operation.method, operation.path)] + operation.aliases.map { ($0.method, $0.path) }).map {
            RouteTemplate(
                method: $0.0,
                segments: $0.1.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(
                    String.init
                ),
                operation: operation
            )
        }
    }

    private static func match(_ template: [String], _ segments: [String]) -> ([String: String], Int)? {
        guard template.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        var literals = 0
        for (pattern, segment) in zip(template, segments) {
            if pattern.hasPrefix("{") && pattern.hasSuffix("}") {
                guard !segment.isEmpty, let decoded = PercentEncoding.decode(segment) else { return nil }
                parameters[String(pattern.dropFirst().dropLast())] = decoded
            } else {
                guard pattern == segment else { return nil }
                literals += 1
            }
        }
        return (parameters, literals)
    }
}
