/// The answer a dry run gives to a call it does not send: the operation's response shape
/// (`Operation.response`), filled as its `Operation.planned` echo says, with placeholder
/// markers for what only the server knows.
struct PlannedResponse {
    let operation: Operation
    let arguments: WireArguments
    let source: Placeholder.Source
    let prefix: String

    func json() -> JSONValue {
        build(operation.planned, operation.response, path: [], item: nil, root: true)
    }

    private func placeholder(_ path: [String]) -> JSONValue {
        .string(Placeholder(source: source, path: path).marker(prefix: prefix))
    }

    private func build(
        _ echo: Echo,
        _ schema: ResponseSchema,
        path: [String],
        item: JSONValue?,
        root: Bool
    ) -> JSONValue {
        let schema = schema.resolvingModels
        switch echo {
        case .unknown:
            return placeholder(path)
        case .literal(let value):
            return value
        case .argument(let name):
            return arguments.values[name] ?? placeholder(path)
        case .count(let name):
            if case .array(let items)? = arguments.values[name] { return .integer(Int64(items.count)) }
            return placeholder(path)
        case .extraFields:
            return .object(arguments.extras)
        case .item(let field):
            guard let item else { return placeholder(path) }
            guard let field else { return item }
            if case .object(let fields) = item, let value = fields[field] { return value }
            return placeholder(path)
        case .each(let name, let element):
            guard case .array(let items)? = arguments.values[name], case .array(let elementSchema) = schema
            else {
                return placeholder(path)
            }
            return .array(
                items.enumerated().map { index, value in
                    build(element, elementSchema, path: path + [String(index)], item: value, root: false)
                }
            )
        case .keyed(let name, let member):
            guard case .array(let items)? = arguments.values[name], case .map(let memberSchema) = schema
            else {
                return placeholder(path)
            }
            var object: [String: JSONValue] = [:]
            for case .string(let key) in items {
                object[key] = build(member, memberSchema, path: path + [key], item: .string(key), root: false)
            }
            return .object(object)
        case .object(let given):
            guard case .object(let fields, _) = schema else { return placeholder(path) }
            var object: [String: JSONValue] = [:]
            for field in fields {
                if let echo = given[field.name] {
                    object[field.name] = build(
                        echo,
                        field.schema,
                        path: path + [field.name],
                        item: item,
                        root: false
                    )
                } else if root, let value = arguments.values[field.name] {
                    object[field.name] = value
                } else if root, field.schema.isNullable,
                    operation.parameters.contains(where: { $0.wireName == field.name })
                {
                    // An argument the script left out, whose field the server leaves null.
                    object[field.name] = .null
                } else if field.required {
                    object[field.name] = placeholder(path + [field.name])
                }
            }
            return .object(object)
        }
    }
}

extension ResponseSchema {
    /// A named model replaced by its shape (one level).
    var resolvingModels: ResponseSchema {
        if case .model(let name) = self, let model = Catalog.model(named: name) {
            return model.schema.resolvingModels
        }
        return self
    }

    var isNullable: Bool {
        if case .nullable = self { return true }
        return false
    }
}
