import LuaRuntime
import RefonteAPI

/// Installs `refonte`: one Lua function per catalog operation, grouped as the catalog's ids
/// are (`refonte.studio.batches.set_priorities`), plus `<group>.iter` for every paginated
/// operation, `refonte.try`, `refonte.map` and `refonte.env`.
public struct APIExtension: ScriptExtension {
    let connection: APIConnection
    let facts: RunFacts
    let progress: any MapProgress

    /// `progress` is where `refonte.map` reports how far it got.
    public init(connection: APIConnection, facts: RunFacts, progress: any MapProgress = SilentProgress()) {
        self.connection = connection
        self.facts = facts
        self.progress = progress
    }

    public func install(in context: ScriptContext) throws {
        let env = EnvTable(facts)
        let root = Namespace()
        for operation in Catalog.operations {
            root.insert(
                operation.luaPath,
                .function(.swift(OperationFunction.make(operation, connection: connection, env: env)))
            )
        }
        root.insert(["env"], env.value)
        root.insert(["is_unknown"], .function(.swift(Self.isUnknown())))
        let refonte = root.value
        try context.state.setGlobal("refonte", refonte)

        let paged: [LuaValue] = Catalog.operations.filter { $0.pagination != .none }.map { .string($0.id) }
        let prelude = try context.state.load(.api)
        try context.state.call(
            prelude,
            [
                .table(.array(paged)), .function(.swift(PageWalk.start())),
                .function(.swift(PageWalk.nextArguments())),
            ]
        )
        try MapFunction.install(in: context.state, progress: progress)
    }
}

extension APIExtension {
    /// `refonte.is_unknown(v)`: whether `v` is a dry run's placeholder.
    static func isUnknown() -> LuaSwiftFunction {
        LuaSwiftFunction("refonte.is_unknown") { call in
            try call.returning(.boolean(PlaceholderValue.marker(at: 1, on: call.stack) != nil))
        }
    }
}

/// The nested tables of `refonte`, built before they cross into Lua.
private final class Namespace {
    var members: [String: Namespace] = [:]
    var leaf: LuaValue?

    func insert(_ path: [String], _ value: LuaValue) {
        guard let first = path.first else {
            leaf = value
            return
        }
        let child = members[first] ?? Namespace()
        members[first] = child
        child.insert(Array(path.dropFirst()), value)
    }

    var value: LuaValue {
        if let leaf { return leaf }
        var fields: [LuaValue: LuaValue] = [:]
        for (name, member) in members { fields[.string(name)] = member.value }
        return .table(.map(fields))
    }
}

extension APIExtension {
    /// `refonte`: the operations are described by the catalog's generators; this is the rest.
    static let global = ScriptGlobal(
        "refonte",
        stub: """
            ---The Refonte.AI Data Engine API. Every function checks its argument table before
            ---anything is sent and raises an error naming the operation and the argument.
            refonte = {}

            ---The non-secret facts of the run. It never holds the API key.
            ---@class refonte.Env

            """ + EnvTable.Field.allCases.map(\.declaration.annotation).joined() + """
                refonte.env = {}

                ---In a dry run, what only the server knows (a new task's id) is a placeholder that prints
                ---as "(known after apply)"; this tells such values apart. False for any value in a real run.
                ---@param value any
                ---@return boolean
                function refonte.is_unknown(value) end

                ---An API failure (or arguments refused before sending), as raised by every call.
                ---`tostring(err)` is one readable line.
                ---@class refonte.Error

                """ + ErrorValue.Field.allCases.map(\.declaration.annotation).joined() + """

                    ---Calls `fn(...)` and returns its results; on an error returns nil and the error value
                    ---instead of raising it: `local team, err = refonte.try(refonte.teams.list)`.
                    ---@generic R
                    ---@param fn fun(...): R
                    ---@param ... any
                    ---@return R|nil result
                    ---@return refonte.Error|string|nil err
                    function refonte.try(fn, ...) end

                    """ + MapFunction.stub
    )
}
