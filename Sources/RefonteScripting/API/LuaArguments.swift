import LuaRuntime
import RefonteAPI

/// Reads the argument table of an API call into JSON values keyed by Lua name.
///
/// The table goes through the `json` encoder, so `json.null` and the `json.array`/`json.object`
/// marks mean what they mean everywhere else. An empty Lua table has no kind of its own; the
/// catalog's checks read it as whatever the argument expects (`metadata = {}` is an object).
enum LuaArguments {
    static func read(_ call: LuaCall, for operation: Operation) throws -> [String: JSONValue] {
        if call.argumentCount > 1 {
            throw ArgumentTableError(
                operation: operation,
                problem: "takes one table of named arguments, got \(call.argumentCount) arguments"
            )
        }
        switch call.type(1) {
        case .none, .nil:
            return [:]
        case .table:
            break
        default:
            throw ArgumentTableError(
                operation: operation,
                problem:
                    "takes a table of named arguments, e.g. refonte.\(operation.id){ ... }, got \(call.stack.typeName(at: 1))"
            )
        }
        return try json(at: 1, in: call.stack, for: operation)
    }

    /// The table at `index` as JSON values keyed by name.
    static func json(
        at index: Int32,
        in stack: LuaStack,
        for operation: Operation
    ) throws -> [String: JSONValue] {
        let bytes: [UInt8]
        do {
            bytes = try LuaJSONEncoder.encode(stack, at: index, options: .init(placeholderMarkers: true))
        } catch {
            throw ArgumentTableError(
                operation: operation,
                problem: "arguments cannot be sent as JSON: \(error)"
            )
        }
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(bytes)
        } catch {
            throw ArgumentTableError(
                operation: operation,
                problem: "arguments cannot be sent as JSON: \(error)"
            )
        }
        switch parsed {
        case .object(let fields):
            return fields
        case .array(let items) where items.isEmpty:
            return [:]
        default:
            throw ArgumentTableError(
                operation: operation,
                problem: "takes a table of named arguments (name = value), got a list"
            )
        }
    }
}

/// The argument of an API call is not a table of named arguments.
struct ArgumentTableError: Error, CustomStringConvertible {
    var operation: Operation
    var problem: String

    // The bound function's name ("refonte.teams.invite: ") is put in front when it is raised.
    var description: String { problem }
}
