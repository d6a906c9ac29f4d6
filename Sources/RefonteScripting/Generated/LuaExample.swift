import RefonteAPI

/// A Lua example of each operation, for the docs, the stubs and `refonte ops describe`, that
/// runs as it is against the sandbox's demo account (`refonte sandbox --seed demo`, and the
/// embedded sandbox): its names are the demo seed's, and an id the seed makes at random is
/// looked up first. A test runs every one.
public enum LuaExample {
    /// The example: the lines that find what the call needs, if any, then the call.
    public static func snippet(_ operation: Operation) -> String {
        (preamble(operation).map { $0 + "\n" } ?? "") + call(operation)
    }

    /// The call alone.
    public static func call(_ operation: Operation) -> String {
        let shown = exampleArguments(operation)
        let function = "refonte." + operation.id
        guard !shown.isEmpty else { return function + "()" }
        let fields = shown.map {
            $0.name + " = " + (expression(for: $0.name, in: operation) ?? LuaSyntax.literal($0.value))
        }
        let line = function + "{" + fields.joined(separator: ", ") + "}"
        // One argument a line where one line would not fit a terminal (`refonte ops describe`).
        guard line.count > 94 else { return line }
        return function + " {\n" + fields.map { "  \($0),\n" }.joined() + "}"
    }

    /// The demo seed's names the examples use.
    enum Demo {
        static let project = "Street Scenes"
        static let batch = "Street Scenes week 2"
        static let groups = ["Street Scenes Experts", "Street Scenes Night Shift"]
        /// Labelers of the demo team assigned to Street Scenes.
        static let teammates = ["ada.martin20@example.com", "esther.nguyen24@example.com"]
    }

    /// Lines that look up what the call needs and the seed cannot name: a task's random id,
    /// the whole list of pending batches.
    static func preamble(_ operation: Operation) -> String? {
        if operation.id == "studio.batches.set_priorities" {
            return """
                local order = {}  -- every pending batch, once: here, in reverse
                for _, b in ipairs(refonte.studio.batches.list()) do table.insert(order, 1, { name = b.name }) end
                """
        }
        guard operation.parameters.contains(where: { $0.name == "task_id" || $0.name == "quality_task_ids" })
        else {
            return nil
        }
        let status =
            operation.id == "tasks.audit" || operation.id == "quality.attempts.list" ? "completed" : "pending"
        return "local task = refonte.tasks.list{status = \"\(status)\", limit = 1}.docs[1]"
    }

    /// An argument given as a Lua expression over the preamble's locals.
    static func expression(for name: String, in operation: Operation) -> String? {
        switch name {
        case "task_id": "task.task_id"
        case "quality_task_ids": "{task.task_id}"
        case "batches" where operation.id == "studio.batches.set_priorities": "order"
        default: nil
        }
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
            // New people for an invitation; people of the demo team everywhere else.
            return operation.id == "teams.invite"
                ? ["ann@example.com", "bob@example.com"] : .array(Demo.teammates.map(JSONValue.string))
        // Removed from a project they are not in, so that the examples after it still find them
        // in Street Scenes.
        case ("projects", _) where operation.id == "studio.assignments.remove": return ["Invoice Fields"]
        case ("projects", _): return [.string(Demo.project)]
        case ("groups", _): return .array(Demo.groups.map(JSONValue.string))
        case ("batches", .array(.record)): return [["name": .string(Demo.batch)]]
        case ("batches", _): return [.string(Demo.batch)]
        case ("tags", _): return ["night"]
        case ("quality_task_ids", _): return ["6650c9f1a2b3"]
        case ("unique_id", .array): return ["demo-1"]
        case ("project", _) where operation.id == "projects.create": return "Street Signs"
        case ("project", _), ("project_name", _): return .string(Demo.project)
        case ("batch", _): return .string(Demo.batch)
        case ("group", _): return .string(Demo.groups[1])
        case ("name", _):
            // A new name: the demo account already has the seed's.
            return operation.id.hasPrefix("studio.groups")
                ? "Street Scenes Weekend"
                : operation.id.hasPrefix("batches") ? "Street Scenes week 5" : "Street Signs"
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
