import RefonteAPI

/// One checked API call as a handler sees it: who asks, when, and the arguments that the
/// catalog's `validate` has already checked, read through their declarations
/// (`request.arguments.requiredString("project")`, `.choice("status", as: TaskStatus.self)`).
struct OperationRequest: Sendable {
    var arguments: ValidatedRequest
    var tenant: Tenant
    var now: Timestamp

    init(arguments: ValidatedRequest, tenant: Tenant, now: Timestamp = .now()) {
        self.arguments = arguments
        self.tenant = tenant
        self.now = now
    }

    var operationID: String { arguments.operation.id }
}

extension ValidatedRequest {
    func timestamp(_ name: String) throws(ArgumentAccessError) -> Timestamp? {
        try dateMilliseconds(name).map(Timestamp.init(milliseconds:))
    }
}

/// The names in order, each once.
func uniqued(_ items: [String]) -> [String] {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
}

/// Emails without repeats, compared as the contract says (lower-cased, as SQLite's NOCASE
/// folds: ASCII letters); the first spelling is kept.
func uniquedEmails(_ emails: [String]) -> [String] {
    var seen = Set<String>()
    return emails.filter { seen.insert(emailKey($0)).inserted }
}

/// The form two emails are compared in: ASCII letters lower-cased, as `COLLATE NOCASE`.
func emailKey(_ email: String) -> String {
    String(decoding: email.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
}
