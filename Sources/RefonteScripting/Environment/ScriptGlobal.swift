/// A global that scripts can read besides Lua's own libraries, declared next to the code that
/// installs it. The editor stubs (`types/refonte.lua`) and `.luacheckrc` are generated from
/// these declarations, so a global is described where it is made.
public struct ScriptGlobal: Sendable {
    public var name: String
    /// Its LuaLS annotations as `types/refonte.lua` shows them; empty for a global that needs
    /// none (`arg`, which Lua's own stubs describe).
    public var stub: String

    public init(_ name: String, stub: String) {
        self.name = name
        self.stub = stub
    }

    /// Every global a `refonte run` script gets besides Lua's libraries, in the order the stubs
    /// describe them.
    public static let all: [ScriptGlobal] = [
        APIExtension.global, JSONLibrary.global, LogExtension.global, CSVExtension.global,
        ScriptEnvironment.sleepGlobal, ScriptEnvironment.spawnGlobal, PrettyPrintFunction.global,
        ScriptRun.argGlobal,
    ]
}

/// One field of a table that scripts receive, declared once for the code that fills it and
/// for the stubs that describe it.
struct TableField: Sendable {
    var name: String
    /// A LuaLS type, with `?` when the field may be absent.
    var type: String
    var doc: String

    /// `---@field name type doc`
    var annotation: String {
        "---@field \(name) \(type)" + (doc.isEmpty ? "" : " \(doc)") + "\n"
    }
}
