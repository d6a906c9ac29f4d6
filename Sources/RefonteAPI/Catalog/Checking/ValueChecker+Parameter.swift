extension ValueChecker {
    /// A parameter's value against everything its declaration says: type, bounds, and
    /// non-emptiness. `prepare` and `validate` both come here, so both sides refuse the same.
    func check(_ value: JSONValue, for parameter: Parameter) throws(ValueMismatch) -> JSONValue {
        let checked = try check(value, parameter.type, minimum: parameter.minimum, maximum: parameter.maximum)
        guard parameter.nonEmpty else { return checked }
        switch checked {
        case .string(let text) where text.isEmpty: break
        case .array(let items) where items.isEmpty: break
        default: return checked
        }
        throw ValueMismatch(
            path: "",
            kind: .wrongValue(
                expected: "a non-empty " + parameter.type.description,
                got: checked.shortDescription
            )
        )
    }
}
