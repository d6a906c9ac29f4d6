extension Plan {
    /// The plan file's bytes: indented JSON, keys sorted.
    public func encoded() -> [UInt8] { json.encodedPretty() }

    var json: JSONValue {
        var script: JSONValue = .null
        if let identity = self.script {
            script = .object([
                "path": .string(identity.path),
                "sha256": .string(identity.sha256),
                "arguments": .array(identity.arguments.map(JSONValue.string)),
            ])
        }
        let target: JSONValue =
            switch self.target {
            case .account(let baseURL): .object(["base_url": .string(baseURL)])
            case .embeddedSandbox(let database): .object(["embedded_sandbox": .string(database)])
            }
        return .object([
            "format": .string(Self.format),
            "version": .integer(Int64(Self.version)),
            "plan_id": .string(id),
            "created_at": .string(createdAt),
            "run_id": .string(runID),
            "script": script,
            "profile": profile.map(JSONValue.string) ?? .null,
            "target": target,
            "placeholder_prefix": .string(placeholderPrefix),
            "reads": .array(
                reads.map { read in
                    var fields = Self.requestFields(read.request)
                    fields["status"] = .integer(Int64(read.status))
                    fields["sha256"] = .string(read.fingerprint)
                    fields["after_write"] = .bool(read.afterWrite)
                    return .object(fields)
                }
            ),
            "writes": .array(
                writes.map { write in
                    var fields = Self.requestFields(write.request)
                    fields["write"] = .integer(Int64(write.index))
                    fields["body"] = write.request.bodyValue ?? .null
                    return .object(fields)
                }
            ),
            "problems": .array(problems.map(JSONValue.string)),
        ])
    }

    private static func requestFields(_ request: PreparedRequest) -> [String: JSONValue] {
        [
            "operation": .string(request.operationID),
            "method": .string(request.method.rawValue),
            "path": .string(request.path),
            "query": .array(
                request.query.map { .object(["name": .string($0.name), "value": .string($0.value)]) }
            ),
        ]
    }

    /// Reads a plan file, refusing anything that is not a plan this version understands with an
    /// error naming the field.
    public static func decode(_ bytes: [UInt8]) throws(PlanError) -> Plan {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw PlanError(field: nil, problem: "it is not JSON (\(error))")
        }
        let root = PlanField(value, name: "")
        guard case .object = value else { throw PlanError(field: nil, problem: "it is not a JSON object") }
        let format = try root["format"].string()
        guard format == Self.format else {
            throw PlanError(
                field: "format",
                problem: "expected \"\(Self.format)\", got \"\(format)\": not a refonte plan"
            )
        }
        let version = try root["version"].integer()
        guard version == Self.version else {
            throw PlanError(
                field: "version",
                problem:
                    "this refonte reads plans of version \(Self.version), and this one is version \(version)"
            )
        }
        var script: ScriptIdentity?
        let scriptField = root["script"]
        if !scriptField.isNull {
            script = ScriptIdentity(
                path: try scriptField["path"].string(),
                sha256: try scriptField["sha256"].string(),
                arguments: try scriptField["arguments"].array().map { (item) throws(PlanError) in
                    try item.string()
                }
            )
        }
        let targetField = root["target"]
        let target: RunTarget
        if let baseURL = try targetField.optional("base_url")?.string() {
            target = .account(baseURL: baseURL)
        } else if let database = try targetField.optional("embedded_sandbox")?.string() {
            target = .embeddedSandbox(database: database)
        } else {
            throw PlanError(
                field: "target",
                problem: "expected an object with \"base_url\" or \"embedded_sandbox\""
            )
        }
        let reads = try root["reads"].array().map { field throws(PlanError) in
            PlannedRead(
                request: try request(field, mutates: false),
                status: Int(try field["status"].integer()),
                fingerprint: try field["sha256"].string(),
                afterWrite: try field["after_write"].boolean()
            )
        }
        var writes: [PlannedWrite] = []
        for (offset, field) in try root["writes"].array().enumerated() {
            let index = Int(try field["write"].integer())
            guard index == offset + 1 else {
                throw PlanError(
                    field: field["write"].name,
                    problem: "expected \(offset + 1), got \(index): writes must be numbered in order"
                )
            }
            var request = try request(field, mutates: true)
            let body = field["body"]
            request.body = body.isNull ? nil : body.value.encoded()
            writes.append(PlannedWrite(index: index, request: request))
        }
        return Plan(
            id: try root["plan_id"].string(),
            createdAt: try root["created_at"].string(),
            runID: try root["run_id"].string(),
            script: script,
            profile: root["profile"].isNull ? nil : try root["profile"].string(),
            target: target,
            placeholderPrefix: try root["placeholder_prefix"].string(),
            reads: reads,
            writes: writes,
            problems: try root["problems"].array().map { (item) throws(PlanError) in try item.string() }
        )
    }

    private static func request(_ field: PlanField, mutates: Bool) throws(PlanError) -> PreparedRequest {
        let id = try field["operation"].string()
        guard let operation = Catalog.operation(id: id) else {
            throw PlanError(
                field: field["operation"].name,
                problem: "no operation \"\(id)\" in this refonte's catalog"
            )
        }
        guard operation.mutates == mutates else {
            throw PlanError(
                field: field["operation"].name,
                problem:
                    "\(id) \(operation.mutates ? "changes state; it cannot be a read" : "only reads; it cannot be a write")"
            )
        }
        let methodText = try field["method"].string()
        guard let method = HTTPMethod(rawValue: methodText),
            method == operation.method
                || operation.aliases.contains(where: { $0.method == method })
        else {
            throw PlanError(
                field: field["method"].name,
                problem: "expected \(operation.method.rawValue) for \(id), got \"\(methodText)\""
            )
        }
        let path = try field["path"].string()
        let templates = [operation.path] + operation.aliases.filter { $0.method == method }.map(\.path)
        guard templates.contains(where: { Self.path(path, fits: $0) }) else {
            throw PlanError(
                field: field["path"].name,
                problem: "expected a path of the form \(operation.path) for \(id), got \"\(path)\""
            )
        }
        let query = try field["query"].array().map { item throws(PlanError) in
            PreparedRequest.QueryItem(name: try item["name"].string(), value: try item["value"].string())
        }
        return PreparedRequest(
            operationID: id,
            method: method,
            path: path,
            query: query,
            idempotent: operation.idempotent
        )
    }
}

extension Plan {
    /// `/task/abc/cancel` fits `/task/{task_id}/cancel`: the same segments, any non-empty value
    /// where the template has a parameter.
    static func path(_ path: String, fits template: String) -> Bool {
        let actual = path.split(separator: "/", omittingEmptySubsequences: false)
        let expected = template.split(separator: "/", omittingEmptySubsequences: false)
        guard actual.count == expected.count else { return false }
        return zip(actual, expected).allSatisfy { segment, pattern in
            pattern.hasPrefix("{") ? !segment.isEmpty : segment == pattern
        }
    }
}

/// A plan file that cannot be used: which field, and what is wrong with it.
public struct PlanError: Error, Sendable, CustomStringConvertible {
    /// `writes[2].method`; nil for the file as a whole.
    public var field: String?
    public var problem: String

    public var description: String {
        (field.map { "field \($0): " } ?? "") + problem
    }
}

/// A value of the plan file with its path, for errors that name the field.
private struct PlanField {
    let value: JSONValue
    let name: String
    let present: Bool

    init(_ value: JSONValue, name: String, present: Bool = true) {
        self.value = value
        self.name = name
        self.present = present
    }

    subscript(_ key: String) -> PlanField {
        let path = name.isEmpty ? key : "\(name).\(key)"
        guard case .object(let fields) = value, let member = fields[key] else {
            return PlanField(.null, name: path, present: false)
        }
        return PlanField(member, name: path)
    }

    func optional(_ key: String) -> PlanField? {
        let field = self[key]
        return field.present && !field.isNull ? field : nil
    }

    var isNull: Bool { value == .null }

    private func mismatch(_ expected: String) -> PlanError {
        PlanError(
            field: name,
            problem: present
                ? "expected \(expected), got \(value.shortDescription)" : "missing (expected \(expected))"
        )
    }

    func string() throws(PlanError) -> String {
        guard case .string(let text) = value else { throw mismatch("a string") }
        return text
    }

    func integer() throws(PlanError) -> Int64 {
        guard case .integer(let number) = value else { throw mismatch("an integer") }
        return number
    }

    func boolean() throws(PlanError) -> Bool {
        guard case .bool(let flag) = value else { throw mismatch("true or false") }
        return flag
    }

    func array() throws(PlanError) -> [PlanField] {
        guard case .array(let items) = value else { throw mismatch("an array") }
        return items.enumerated().map { PlanField($1, name: "\(name)[\($0)]") }
    }
}
