import RefonteAPI

/// `refonte ops list --output json` and `refonte ops describe ID --output json`: the same facts
/// as the text, for scripts and pipelines.
extension OperationDescription {
    public static func listJSON() -> JSONValue {
        .array(Catalog.operations.map(summaryJSON))
    }

    public static func describeJSON(_ operation: Operation) -> JSONValue {
        guard case .object(var object) = summaryJSON(operation) else { return .null }
        object["summary"] = .string(operation.summary)
        object["retry"] = .string(operation.retry.name)
        object["free_form"] = .bool(operation.allowsExtraBodyFields)
        object["aliases"] = .array(
            operation.aliases.map {
                .object(["method": .string($0.method.rawValue), "path": .string($0.path)])
            }
        )
        object["arguments"] = .array(operation.parameters.map(parameterJSON))
        object["rules"] = .array(operation.constraints.map { .string($0.ruleText(operation)) })
        object["example"] = .string(LuaExample.snippet(operation))
        object["returns"] = .string(operation.returns)
        return .object(object)
    }

    private static func summaryJSON(_ operation: Operation) -> JSONValue {
        .object([
            "id": .string(operation.id),
            "function": .string("refonte." + operation.id),
            "method": .string(operation.method.rawValue),
            "path": .string(operation.path),
            "mutates": .bool(operation.mutates),
            "pagination": .string(operation.pagination.rawValue),
            "iterator": operation.iteratorID.map { .string("refonte.\($0).iter") } ?? .null,
        ])
    }

    private static func parameterJSON(_ parameter: Parameter) -> JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(parameter.name),
            "wire_name": .string(parameter.wireName),
            "in": .string(parameter.location.displayName),
            "type": .string(parameter.type.description),
            "required": .bool(parameter.required),
            "description": .string(parameter.doc),
            "non_empty": .bool(parameter.nonEmpty),
        ]
        if case .enumeration(let values) = parameter.type {
            object["choices"] = .array(values.map(JSONValue.string))
        }
        if let minimum = parameter.minimum { object["minimum"] = .integer(minimum) }
        if let maximum = parameter.maximum { object["maximum"] = .integer(maximum) }
        if let value = parameter.defaultValue { object["default"] = value }
        return .object(object)
    }
}
