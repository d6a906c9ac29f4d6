import LuaRuntime
import RefonteAPI
import Testing

@testable import RefonteScripting

/// The stubs and `.luacheckrc` are generated from the environment's declarations; these tests
/// hold the declarations to what a script really sees.
@Suite struct ScriptGlobalsTests {
    static let luaStandard = [
        "_G", "_VERSION", "assert", "collectgarbage", "coroutine", "debug", "dofile", "error",
        "getmetatable", "io", "ipairs", "load", "loadfile", "math", "next", "os", "package", "pairs",
        "pcall", "print", "rawequal", "rawget", "rawlen", "rawset", "require", "select", "setmetatable",
        "string", "table", "tonumber", "tostring", "type", "utf8", "warn", "xpcall",
    ]

    @Test func theDeclaredGlobalsAreExactlyTheOnesAScriptGets() async throws {
        try await withSandbox { sandbox in
            let declared = ScriptGlobal.all.map(\.name)
            try await runLua(
                """
                local standard, declared = {}, {}
                for name in (...):gmatch("[^,]+") do standard[name] = true end
                for name in select(2, ...):gmatch("[^,]+") do declared[name] = true end
                local extra, missing = {}, {}
                for name in pairs(_G) do
                  if not standard[name] and not declared[name] then extra[#extra + 1] = name end
                end
                for name in pairs(declared) do
                  if rawget(_G, name) == nil then missing[#missing + 1] = name end
                end
                table.sort(extra)
                table.sort(missing)
                assert(#extra == 0, "globals not declared as ScriptGlobal: " .. table.concat(extra, ", "))
                assert(#missing == 0, "declared globals a script does not get: " .. table.concat(missing, ", "))
                """,
                arguments: [Self.luaStandard.joined(separator: ","), declared.joined(separator: ",")],
                connection: connection(to: sandbox)
            )
        }
    }

    @Test func errorValuesAndEnvHoldOnlyDeclaredFields() async throws {
        try await withSandbox { sandbox in
            let errorFields = ErrorValue.Field.allCases.map(\.rawValue).joined(separator: ",")
            let envFields = EnvTable.Field.allCases.map(\.rawValue).joined(separator: ",")
            try await runLua(
                """
                local function set(list)
                  local s = {}
                  for name in list:gmatch("[^,]+") do s[name] = true end
                  return s
                end
                local error_fields, env_fields = set((...)), set(select(2, ...))
                local function only_declared(t, declared, what)
                  for name in pairs(t) do
                    assert(declared[name], what .. " holds the undeclared field " .. tostring(name))
                  end
                end
                local _, refused = pcall(refonte.teams.invite, { emails = { "a@example.com" }, role = "boss" })
                only_declared(refused, error_fields, "an argument error")
                assert(refused.field == "role" and refused.expected and refused.got)
                local _, missing = pcall(refonte.projects.get, { project = "no such project" })
                only_declared(missing, error_fields, "an API error")
                assert(missing.status == 404 and missing.attempts == 1)
                refonte.teams.list()
                only_declared(refonte.env, env_fields, "refonte.env")
                assert(refonte.env.base_url and refonte.env.sandbox == true and refonte.env.dry_run == false)
                """,
                arguments: [errorFields, envFields],
                connection: connection(to: sandbox)
            )
        }
    }

    @Test func stubsAndLuacheckListEveryDeclaredGlobal() {
        let stubs = LuaStubs.source()
        let luacheck = LuacheckConfig.source()
        for global in ScriptGlobal.all {
            if !global.stub.isEmpty { #expect(stubs.contains(global.stub), "\(global.name)") }
            if global.name != "refonte" { #expect(luacheck.contains("\"\(global.name)\""), "\(global.name)") }
        }
        for field in ErrorValue.Field.allCases {
            #expect(stubs.contains(field.declaration.annotation), "\(field)")
        }
    }
}
