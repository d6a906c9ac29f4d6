/// What the client may do after an attempt whose outcome it cannot know: a 5xx, a timeout, a
/// connection that broke after the request went out. Each operation declares one in the
/// catalog; the client follows it and `refonte ops describe` shows it.
///
/// A failure that surely changed nothing (a 429, a connection that was never made) may be
/// retried whatever the class: the request did not take effect.
public enum RetryClass: Sendable, Hashable {
    /// A read: sent again after any failure.
    case safe
    /// Repeating it leaves the same state as making it once: sent again.
    case idempotent
    /// A repeat is refused with 409 because of a key: a task's `unique_id` (which the client
    /// derives when the script gave none) or a name that is unique per account. Sent again; a
    /// 409 that follows an attempt that may have worked means it did, and `recovery` fetches
    /// what that attempt made.
    case idempotentByKey(Recovery)
    /// Repeating it would act twice (a second invitation e-mail): after an attempt that may
    /// have worked, `recovery` reads whether it did, and it is sent again only if not.
    case checked(Recovery)
    /// Nothing tells whether it happened: never sent again after an ambiguous failure.
    case never

    /// The name docs and `refonte ops describe` use.
    public var name: String {
        switch self {
        case .safe: "safe"
        case .idempotent: "idempotent"
        case .idempotentByKey: "idempotent-by-key"
        case .checked: "checked"
        case .never: "never"
        }
    }

    /// Sent again after an ambiguous failure (perhaps after a look, for `checked`).
    public var repeatsAfterAmbiguity: Bool {
        switch self {
        case .safe, .idempotent, .idempotentByKey, .checked: true
        case .never: false
        }
    }

    public var recovery: Recovery? {
        switch self {
        case .idempotentByKey(let recovery), .checked(let recovery): recovery
        case .safe, .idempotent, .never: nil
        }
    }

    /// One line for `refonte ops describe`.
    public var explanation: String {
        switch self {
        case .safe:
            return "safe: a read, sent again after any failure"
        case .idempotent:
            return "idempotent: sent again after a 5xx or a broken connection (a repeat changes nothing more)"
        case .idempotentByKey(let recovery):
            let key = recovery.derivedKey.map { "`\($0)`, derived when not given" } ?? "its unique name"
            return
                "idempotent-by-key: sent again; a 409 after a lost answer means it worked, and "
                + "refonte.\(recovery.operationID) fetches what it made (key: \(key))"
        case .checked(let recovery):
            return
                "checked: after a lost answer, refonte.\(recovery.operationID) shows whether it worked; "
                + "sent again only if not"
        case .never:
            return "never: not sent again after a 5xx or a broken connection (it could act twice)"
        }
    }
}

/// How the client finds out what an ambiguous attempt of a write did: a read built from the
/// write's own arguments, and the part of its answer that stands for the write's answer.
public struct Recovery: Sendable, Hashable {
    public enum Pick: Sendable, Hashable {
        /// The read's whole answer.
        case whole
        /// The first element of the array in the answer's field (`docs` of a page).
        case first(in: String)
        /// The element of the answer (an array) whose `field` equals the write's argument.
        case element(field: String, equalsArgument: String)
        /// The whole answer (an array), when the values of its elements' `field` include every
        /// value of the write's array argument, compared without case (emails).
        case wholeWhenItHasAll(field: String, argument: String)
    }

    /// The read, by catalog id.
    public var operationID: String
    /// The read's arguments (its Lua names) and the write's arguments (wire names) they copy.
    public var arguments: [String: String]
    public var pick: Pick
    /// A write argument (wire name) the client fills in when the script leaves it out, so that
    /// a repeat can be recognized (`unique_id` of a task).
    public var derivedKey: String?

    public init(
        read operationID: String,
        arguments: [String: String] = [:],
        pick: Pick,
        derivedKey: String? = nil
    ) {
        self.operationID = operationID
        self.arguments = arguments
        self.pick = pick
        self.derivedKey = derivedKey
    }
}
