/// The OpenAPI 3.1 description of the whole API, derived from the catalog. `refonte openapi`
/// prints it, the sandbox serves it at `/v1/openapi.json`, and Schemathesis fuzzes the sandbox
/// with it, so the schemas are as tight as the contract: enums, required fields, limit ranges,
/// `additionalProperties: false` on bodies that refuse unknown fields.
public enum OpenAPIDocument {
    public static let defaultServerURL = "https://api.refonte.com/v1"

    /// Compact JSON with sorted keys.
    public static func json() -> [UInt8] {
        document(serverURL: defaultServerURL).encoded()
    }

    /// The same document naming another server (the sandbox names itself).
    public static func json(serverURL: String) -> [UInt8] {
        document(serverURL: serverURL).encoded()
    }

    public static func document(serverURL: String = defaultServerURL) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for operation in Catalog.operations {
            paths[operation.path, default: [:]][operation.method.rawValue.lowercased()] = operationObject(
                operation,
                operationID: operation.id
            )
            for (n, alias) in operation.aliases.enumerated() {
                paths[alias.path, default: [:]][alias.method.rawValue.lowercased()] = operationObject(
                    operation,
                    operationID: operation.id + ".alias" + (n == 0 ? "" : String(n + 1))
                )
            }
        }
        var schemas: [String: JSONValue] = [:]
        for model in Catalog.models {
            schemas[model.name] = with(schema(model.schema), description: model.doc)
        }
        schemas["Error"] = [
            "type": "object",
            "description": "The body of every error answer.",
            "required": ["status_code", "error"],
            "properties": [
                "status_code": ["type": "integer", "minimum": 400, "maximum": 599],
                "error": [
                    "type": "string", "description": "What was wrong, naming the field or the resource.",
                ],
            ],
        ]
        let tags = Set(Catalog.operations.map { $0.luaPath[0] }).sorted().map {
            JSONValue.object(["name": .string($0)])
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Refonte.AI Data Engine API",
                "version": "1",
                "description": .string(
                    "Generated from the refonte operation catalog. Each operation's `x-refonte-lua` names the "
                        + "Lua function that calls it; `x-refonte-mutates` and `x-refonte-idempotent` say whether "
                        + "it changes state and whether it is safe to repeat; `x-refonte-retry` names its retry class."
                ),
            ],
            "servers": [["url": .string(serverURL)]],
            "security": [["basicAuth": []]],
            "tags": .array(tags),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": [
                "schemas": .object(schemas),
                "securitySchemes": [
                    "basicAuth": [
                        "type": "http",
                        "scheme": "basic",
                        "description": "The API key is the user name; the password is empty.",
                    ]
                ],
                "responses": [
                    "Error": [
                        "description": "An error; `status_code` repeats the HTTP status.",
                        "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]],
                    ],
                    "TooManyRequests": [
                        "description": "Over the rate limit of the API key.",
                        "headers": [
                            "Retry-After": [
                                "description": "Seconds to wait before trying again.",
                                "schema": ["type": "integer", "minimum": 0],
                            ]
                        ],
                        "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]],
                    ],
                ],
            ],
        ]
    }

    private static func operationObject(_ operation: Operation, operationID: String) -> JSONValue {
        var object: [String: JSONValue] = [
            "operationId": .string(operationID),
            "summary": .string(operation.summary),
            "description": .string(description(of: operation)),
            "tags": [.string(operation.luaPath[0])],
            "x-refonte-lua": .string("refonte." + operation.id),
            "x-refonte-mutates": .bool(operation.mutates),
            "x-refonte-idempotent": .bool(operation.idempotent),
            "x-refonte-retry": .string(operation.retry.name),
            "responses": responses(operation),
        ]
        let parameters = operation.parameters.filter { $0.location == .path || $0.location == .query }
        if !parameters.isEmpty {
            object["parameters"] = .array(parameters.map(parameterObject))
        }
        if let body = requestBody(operation) {
            object["requestBody"] = body
        }
        return .object(object)
    }

    private static func description(of operation: Operation) -> String {
        var lines = ["Returns \(operation.returns)."]
        switch operation.pagination {
        case .cursor: lines.append("Paginated by cursor: pass the page's `next_token` to get the next one.")
        case .offset: lines.append("Paginated by `limit` and `offset`.")
        case .none: break
        }
        for constraint in operation.constraints {
            lines.append(constraint.ruleText { $0 })
        }
        return lines.joined(separator: " ")
    }

    private static func responses(_ operation: Operation) -> JSONValue {
        let error: JSONValue = ["$ref": "#/components/responses/Error"]
        var responses: [String: JSONValue] = [
            "200": [
                "description": .string(operation.returns),
                "content": ["application/json": ["schema": schema(operation.response)]],
            ],
            "400": error,
            "401": error,
            "429": ["$ref": "#/components/responses/TooManyRequests"],
            "4XX": error,
            "5XX": error,
        ]
        if operation.mutates { responses["403"] = error }
        if operation.path.contains("{") || operation.mutates { responses["404"] = error }
        if !operation.idempotent { responses["409"] = error }
        return .object(responses)
    }

    private static func parameterObject(_ parameter: Parameter) -> JSONValue {
        var schema = schema(for: parameter)
        if let value = parameter.defaultValue { schema = merged(schema, ["default": value]) }
        var object: [String: JSONValue] = [
            "name": .string(parameter.wireName),
            "in": .string(parameter.location == .path ? "path" : "query"),
            "required": .bool(parameter.required),
            "description": .string(parameter.doc),
            "schema": schema,
        ]
        if case .array = parameter.type {
            object["style"] = "form"
            object["explode"] = true
        }
        return .object(object)
    }

    private static func requestBody(_ operation: Operation) -> JSONValue? {
        if let whole = operation.parameters.first(where: { $0.location == .wholeBody }) {
            // An empty body reads as `{}`: an object body may be left out, an array may not.
            let objectBody = whole.type == .object
            return [
                "required": .bool(!objectBody),
                "description": .string(whole.doc),
                "content": ["application/json": ["schema": schema(whole.type)]],
            ]
        }
        let fields = operation.parameters.filter { $0.location == .body }
        guard !fields.isEmpty || operation.allowsExtraBodyFields else { return nil }
        var properties: [String: JSONValue] = [:]
        for field in fields {
            let typed = schema(for: field)
            // The contract reads a null optional field as absent.
            properties[field.wireName] = with(
                field.required ? typed : ["anyOf": [typed, ["type": "null"]]],
                description: field.doc
            )
        }
        var body: [String: JSONValue] = [
            "type": "object",
            "properties": .object(properties),
            "additionalProperties": .bool(operation.allowsExtraBodyFields),
        ]
        let required = fields.filter(\.required).map { JSONValue.string($0.wireName) }
        if !required.isEmpty { body["required"] = .array(required) }
        let bodyNames = Set(fields.map(\.wireName))
        let rules: [JSONValue] = operation.constraints.compactMap { constraint in
            switch constraint {
            case .atLeastOne(let names) where names.allSatisfy(bodyNames.contains):
                return [
                    "anyOf": .array(
                        names.map { name in
                            ["required": [.string(name)], "properties": [name: ["not": ["type": "null"]]]]
                        }
                    )
                ]
            case .onlyWith(let field, let other, let equal) where bodyNames.contains(field):
                return [
                    "anyOf": [
                        ["required": [.string(other)], "properties": [other: ["const": equal]]],
                        ["properties": [field: ["type": "null"]]],
                    ]
                ]
            default:
                return nil
            }
        }
        if !rules.isEmpty { body["allOf"] = .array(rules) }
        return [
            "required": .bool(!required.isEmpty || !rules.isEmpty),
            "content": ["application/json": ["schema": .object(body)]],
        ]
    }

    /// A parameter's type with its bounds and, for a non-empty one, `minLength` or `minItems`.
    static func schema(for parameter: Parameter) -> JSONValue {
        let typed = schema(parameter.type, minimum: parameter.minimum, maximum: parameter.maximum)
        guard parameter.nonEmpty else { return typed }
        if case .array = parameter.type { return merged(typed, ["minItems": 1]) }
        return merged(typed, ["minLength": 1])
    }

    static func schema(_ type: ValueType, minimum: Int64? = nil, maximum: Int64? = nil) -> JSONValue {
        switch type {
        case .string: return ["type": "string", "pattern": .string(TextRule.pattern)]
        case .integer:
            var object: [String: JSONValue] = ["type": "integer", "format": "int64"]
            if let minimum { object["minimum"] = .integer(minimum) }
            if let maximum { object["maximum"] = .integer(maximum) }
            return .object(object)
        case .number: return ["type": "number"]
        case .boolean: return ["type": "boolean"]
        case .enumeration(let values):
            return ["type": "string", "enum": .array(values.map(JSONValue.string))]
        case .array(let element): return ["type": "array", "items": schema(element)]
        case .object: return ["type": "object"]
        case .dateTime: return ["type": "string", "format": "date-time"]
        case .email: return ["type": "string", "format": "email"]
        case .url(let schemes):
            return ["type": "string", "format": "uri", "pattern": .string(URLText.pattern(schemes))]
        case .record(let fields):
            var properties: [String: JSONValue] = [:]
            for field in fields {
                let typed = schema(field.type)
                properties[field.name] = with(
                    field.required ? typed : ["anyOf": [typed, ["type": "null"]]],
                    description: field.doc
                )
            }
            var object: [String: JSONValue] = [
                "type": "object", "properties": .object(properties), "additionalProperties": false,
            ]
            let required = fields.filter(\.required).map { JSONValue.string($0.name) }
            if !required.isEmpty { object["required"] = .array(required) }
            return .object(object)
        }
    }

    static func schema(_ response: ResponseSchema) -> JSONValue {
        switch response {
        case .string: return ["type": "string"]
        case .integer: return ["type": "integer"]
        case .number: return ["type": "number"]
        case .boolean: return ["type": "boolean"]
        case .dateTime: return ["type": "string", "format": "date-time"]
        case .enumeration(let values):
            return ["type": "string", "enum": .array(values.map(JSONValue.string))]
        case .array(let element): return ["type": "array", "items": schema(element)]
        case .map(let value): return ["type": "object", "additionalProperties": schema(value)]
        case .object(let fields, let additional):
            var properties: [String: JSONValue] = [:]
            for field in fields {
                properties[field.name] =
                    field.doc.isEmpty
                    ? schema(field.schema) : with(schema(field.schema), description: field.doc)
            }
            var object: [String: JSONValue] = ["type": "object", "properties": .object(properties)]
            let required = fields.filter(\.required).map { JSONValue.string($0.name) }
            if !required.isEmpty { object["required"] = .array(required) }
            if additional { object["additionalProperties"] = true }
            return .object(object)
        case .model(let name): return ["$ref": .string("#/components/schemas/" + name)]
        case .nullable(let wrapped): return ["anyOf": [schema(wrapped), ["type": "null"]]]
        case .freeObject: return ["type": "object"]
        case .any: return [:]
        }
    }

    private static func with(_ schema: JSONValue, description: String) -> JSONValue {
        guard !description.isEmpty else { return schema }
        return merged(schema, ["description": .string(description)])
    }

    private static func merged(_ schema: JSONValue, _ extra: [String: JSONValue]) -> JSONValue {
        guard case .object(var object) = schema else { return schema }
        object.merge(extra) { _, new in new }
        return .object(object)
    }
}
