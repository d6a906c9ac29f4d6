import RefonteAPI

/// A plausible Lua call of an operation, for the docs, the stubs and `refonte ops describe`.
public enum LuaExample {
    public static func call(_ operation: Operation) -> String {
        let shown = exampleArguments(operation)
        let function = "refonte." + operation.id
        guard !shown.isEmpty else { return function + "()" }
        return function + "{"
            + shown.map { $0.name + " = " + LuaSyntax.literal($0.value) }.joined(separator: ", ") + "}"
    }

    /// Required arguments, one of each at-least-one group, and for an operation whose body
    /// fields are all optional the first of them, so that every example does something.
    static func exampleArguments(_ operation: Operation) -> [(name: String, value: JSONValue)] {
        var names = Set(operation.parameters.filter(\.required).map(\.name))
        for constraint in operation.constraints {
            if case .atLeastOne(let wires) = constraint, let first = wires.first,
                let parameter = operation.parameters.first(where: { $0.wireName == first })
            {
                names.insert(parameter.name)
            }
        }
        let bodyFields = operation.parameters.filter { $0.location == .body }
        if !bodyFields.isEmpty, !bodyFields.contains(where: { names.contains($0.name) }) {
            names.insert(bodyFields[0].name)
        }
        // A few more where the bare minimum would not show what the call is for.
        switch operation.id {
        case "projects.update_pipeline_config": names.insert("consensus_attempts")
        case "tasks.create": names.formUnion(["attachment_type", "attachment"])
        default: break
        }
        return operation.parameters.filter { names.contains($0.name) }.map {
            ($0.name, value(for: $0, in: operation))
        }
    }

    static func value(for parameter: Parameter, in operation: Operation) -> JSONValue {
        switch (parameter.name, parameter.type) {
        case (_, .array(.string)) where parameter.name.contains("email"), (_, .array(.email)):
            return ["ann@example.com", "bob@example.com"]
        case ("projects", _): return ["Street signs"]
        case ("groups", _): return ["night shift", "ann@example.com"]
        case ("batches", .array(.record)): return [["name": "signs-01"], ["name": "signs-02"]]
        case ("batches", _): return ["signs-01"]
        case ("tags", _): return ["night"]
        case ("quality_task_ids", _): return ["6650c9f1a2b3"]
        case ("unique_id", .array): return ["sign-0001"]
        case ("project", _), ("project_name", _): return "Street signs"
        case ("batch", _): return "signs-01"
        case ("group", _): return "night shift"
        case ("name", _):
            return operation.id.hasPrefix("studio.groups")
                ? "night shift"
                : operation.id.hasPrefix("batches") ? "signs-01" : "Street signs"
        case ("task_id", _): return "6650c9f1a2b3"
        case ("unique_id", _): return "sign-0001"
        case ("file_url", _), ("attachment", _): return "https://example.com/sign-0001.jpg"
        case ("attachment_type", _): return "image"
        case ("instruction", _): return "Draw a box around each road sign."
        case ("metadata", _): return ["source": "import"]
        case ("type", _): return "imageannotation"
        case ("pipeline", _): return "consensus_task"
        case ("consensus_attempts", _): return 3
        case ("limit", _): return 50
        default: break
        }
        switch parameter.type {
        case .string: return "text"
        case .integer: return .integer(parameter.minimum ?? 1)
        case .number: return 1.5
        case .boolean: return true
        case .enumeration(let values): return .string(values[0])
        case .array: return []
        case .object: return [:]
        case .dateTime: return .string(DateTime.example)
        case .email: return .string(EmailAddress.example)
        case .url(let schemes):
            return .string("\(schemes.contains("https") ? "https" : schemes[0])://example.com/file")
        case .record: return [:]
        }
    }
}
