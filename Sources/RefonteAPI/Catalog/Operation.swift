/// One operation of the API contract: the single declaration from which the Lua binding, the
/// argument checks, the sandbox's routes, the OpenAPI document, the docs and the editor stubs
/// are all derived.
public struct Operation: Sendable, Identifiable {
    public enum Pagination: String, Sendable, Hashable {
        case none
        /// `next_token` in, `next_token` out.
        case cursor
        /// `limit` and `offset`.
        case offset
    }

    /// A second method and path that the server also answers for this operation.
    public struct Alias: Sendable, Hashable {
        public var method: HTTPMethod
        public var path: String

        public init(method: HTTPMethod, path: String) {
            self.method = method
            self.path = path
        }
    }

    /// Stable id, also the Lua path below `refonte.` (`studio.batches.set_priorities`).
    public var id: String
    public var method: HTTPMethod
    /// Relative to the base URL, with `{name}` for path parameters: `/studio/projects/{project}/groups`.
    public var path: String
    public var parameters: [Parameter]
    public var mutates: Bool
    /// What the client may do after an ambiguous failure (a 500, a timeout, a reset
    /// connection): send it again, look first, or give up.
    public var retry: RetryClass
    /// How a dry run answers this operation when it is a write it does not send.
    public var planned: Echo
    public var pagination: Pagination
    /// One line, imperative: "Invite teammates by email."
    public var summary: String
    /// What a successful call returns, in the contract's words: "[Teammate], the whole team".
    public var returns: String
    /// Body fields beyond the declared ones are accepted and passed through (task create,
    /// set project params).
    public var allowsExtraBodyFields: Bool
    public var aliases: [Alias]
    /// The JSON body of a 200 answer.
    public var response: ResponseSchema
    /// Rules that tie several arguments together.
    public var constraints: [Constraint]

    public init(
        id: String,
        method: HTTPMethod,
        path: String,
        parameters: [Parameter] = [],
        mutates: Bool,
        retry: RetryClass? = nil,
        planned: Echo = .byName,
        pagination: Pagination = .none,
        summary: String,
        returns: String,
        allowsExtraBodyFields: Bool = false,
        aliases: [Alias] = [],
        response: ResponseSchema = .any,
        constraints: [Constraint] = []
    ) {
        self.id = id
        self.method = method
        self.path = path
        self.parameters = parameters
        self.mutates = mutates
        self.retry = retry ?? (method == .get ? .safe : method == .post ? .never : .idempotent)
        self.planned = planned
        self.pagination = pagination
        self.summary = summary
        self.returns = returns
        self.allowsExtraBodyFields = allowsExtraBodyFields
        self.aliases = aliases
        self.response = response
        self.constraints = constraints
    }

    /// Repeating the call leaves the same state as making it once (reads included).
    public var idempotent: Bool {
        switch retry {
        case .safe, .idempotent: true
        case .idempotentByKey, .checked, .never: false
        }
    }

    /// The Lua path split at dots: `["studio", "batches", "set_priorities"]`. Split as bytes:
    /// splitting characters finds grapheme boundaries, a tenth of `refonte run`'s Swift start-up.
    public var luaPath: [String] {
        id.utf8.split(separator: UInt8(ascii: ".")).map { String(decoding: $0, as: UTF8.self) }
    }
}
