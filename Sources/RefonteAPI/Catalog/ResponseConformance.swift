extension ResponseSchema {
    /// Where a JSON value departs from this shape, one line per problem with a JSON path
    /// (`$[2].role: expected one of admin, ...`), empty when it conforms. Optional fields must
    /// be absent rather than null. The sandbox's tests hold its answers to the catalog with it.
    public func conformanceProblems(of value: JSONValue, path: String = "$") -> [String] {
        switch (self, value) {
        case (.any, _): return []
        case (.string, .string), (.boolean, .bool), (.integer, .integer), (.number, .integer),
            (.number, .double):
            return []
        case (.integer, .double(let d)) where Int64(exactly: d) != nil: return []
        case (.dateTime, .string(let s)):
            return DateTime.isValid(s)
                ? [] : ["\(path): expected an RFC 3339 date-time (got \(value.shortDescription))"]
        case (.enumeration(let allowed), .string(let s)):
            return allowed.contains(s)
                ? []
                : [
                    "\(path): expected one of \(allowed.joined(separator: ", ")) (got \(value.shortDescription))"
                ]
        case (.nullable, .null): return []
        case (.nullable(let wrapped), _): return wrapped.conformanceProblems(of: value, path: path)
        case (.array(let element), .array(let items)):
            return items.enumerated().flatMap { element.conformanceProblems(of: $1, path: "\(path)[\($0)]") }
        case (.map(let valueSchema), .object(let members)):
            return members.keys.sorted().flatMap {
                valueSchema.conformanceProblems(of: members[$0]!, path: "\(path).\($0)")
            }
        case (.freeObject, .object): return []
        case (.object(let fields, let additional), .object(let members)):
            var problems: [String] = []
            for field in fields {
                guard let member = members[field.name] else {
                    if field.required { problems.append("\(path).\(field.name): missing") }
                    continue
                }
                problems += field.schema.conformanceProblems(of: member, path: "\(path).\(field.name)")
            }
            if !additional {
                let known = Set(fields.map(\.name))
                for key in members.keys.sorted() where !known.contains(key) {
                    problems.append("\(path).\(key): not in the contract")
                }
            }
            return problems
        case (.model(let name), _):
            guard let model = Catalog.model(named: name) else { return ["\(path): unknown model \(name)"] }
            return model.schema.conformanceProblems(of: value, path: path)
        default:
            return ["\(path): expected \(description) (got \(value.shortDescription))"]
        }
    }
}
