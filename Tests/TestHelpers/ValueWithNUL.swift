import RefonteAPI

/// A value of `type` with a NUL where a string goes, or nil when the type holds no free string
/// (enums, dates, numbers and booleans are refused by their own rules).
public func valueWithNUL(_ type: ValueType) -> JSONValue? {
    switch type {
    case .string: .string("before\u{0}after")
    case .array(let element): valueWithNUL(element).map { .array([$0]) }
    case .object: .object(["note": .string("a\u{0}b")])
    case .record(let fields):
        fields.lazy.compactMap { field in valueWithNUL(field.type).map { JSONValue.object([field.name: $0]) }
        }
        .first
    default: nil
    }
}
