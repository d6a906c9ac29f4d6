import Foundation
import RefonteAPI
import Testing

@testable import RefonteScripting

/// The package root, found from this file's place in it.
private let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite struct GeneratedFilesTests {
    @Test(arguments: GeneratedFiles.all().map(\.path))
    func fileInTheRepositoryIsUpToDate(path: String) throws {
        let expected = try #require(GeneratedFiles.all().first { $0.path == path })
        let onDisk = try? String(contentsOf: packageRoot.appendingPathComponent(path), encoding: .utf8)
        #expect(onDisk == expected.contents, "\(path) is stale: run `swift run refonte ops generate`")
    }

    @Test func referenceDocumentsEveryOperationAndObject() {
        let markdown = APIReference.markdown()
        for operation in Catalog.operations {
            #expect(markdown.contains("### refonte.\(operation.id)\n"), "\(operation.id)")
            #expect(markdown.contains("`\(operation.method.rawValue) \(operation.path)`"), "\(operation.id)")
        }
        for model in Catalog.models {
            #expect(markdown.contains("### \(model.name)\n"), "\(model.name)")
        }
        #expect(markdown.contains("| `role` | `team_role` | body |"))
    }

    @Test func stubsDeclareEveryFunctionAndIterator() {
        let stubs = LuaStubs.source()
        for operation in Catalog.operations {
            let hasArgs = !operation.parameters.isEmpty
            #expect(
                stubs.contains("function refonte.\(operation.id)(\(hasArgs ? "args" : "")) end"),
                "\(operation.id)"
            )
            if hasArgs {
                #expect(stubs.contains("---@class refonte.\(operation.id).Args\n"), "\(operation.id)")
            }
            if let group = operation.iteratorID {
                #expect(stubs.contains("function refonte.\(group).iter(args) end"), "\(group)")
            }
        }
        #expect(stubs.contains("---@field role \"labeler\"|\"member\"|\"manager\""))
        #expect(stubs.contains("---@field [string] any Free-form"))
        #expect(stubs.contains("function refonte.try(fn, ...) end"))
        #expect(stubs.contains("function csv.read(path, options) end"))
    }

    @Test func luacheckKnowsEveryOperationName() {
        let config = LuacheckConfig.source()
        #expect(config.contains(#"std = "lua54""#))
        for global in ["json", "log", "csv", "sleep", "spawn", "arg"] {
            #expect(config.contains("\"\(global)\""))
        }
        for operation in Catalog.operations {
            #expect(config.contains("\(operation.luaPath.last!) = {},"), "\(operation.id)")
        }
    }

    @Test func examplesAreValidCalls() throws {
        // Every example must pass the operation's own argument check.
        for operation in Catalog.operations {
            let arguments = Dictionary(
                uniqueKeysWithValues: LuaExample.exampleArguments(operation).map { ($0.name, $0.value) }
            )
            _ = try operation.prepare(arguments)
        }
    }

    @Test func describeShowsArgumentsExampleAndReturns() throws {
        let text = OperationDescription.describe(try #require(Catalog.operation(id: "teams.invite")))
        #expect(text.contains("POST /teams/invite"))
        #expect(text.contains("role (wire: team_role)  body  one of labeler, member,"))
        #expect(
            text.contains(
                #"refonte.teams.invite{emails = {"ann@example.com", "bob@example.com"}, role = "labeler"}"#
            )
        )
        #expect(text.contains("Teammate: {email, role, firstName?"))
        let list = OperationDescription.list()
        #expect(list.split(separator: "\n").count == Catalog.operations.count + 1)
    }
}

@Suite struct OpenAPIDocumentTests {
    private func document() throws -> [String: JSONValue] {
        guard case .object(let root) = try JSONValue.parse(OpenAPIDocument.json()) else {
            Issue.record("not an object")
            return [:]
        }
        return root
    }

    @Test func describesEveryOperationAndAlias() throws {
        let root = try document()
        #expect(root["openapi"] == "3.1.0")
        guard case .object(let paths)? = root["paths"] else { Issue.record("no paths"); return }
        for operation in Catalog.operations {
            let routes = [(operation.method, operation.path)] + operation.aliases.map { ($0.method, $0.path) }
            for (method, path) in routes {
                guard case .object(let item)? = paths[path],
                    case .object(let entry)? = item[method.rawValue.lowercased()]
                else {
                    Issue.record("\(method.rawValue) \(path) missing")
                    continue
                }
                #expect(entry["x-refonte-lua"] == .string("refonte." + operation.id))
                #expect(entry["x-refonte-mutates"] == .bool(operation.mutates))
            }
        }
    }

    @Test func everyReferenceResolves() throws {
        let root = try document()
        guard case .object(let components)? = root["components"] else {
            Issue.record("no components"); return
        }
        var refs: [String] = []
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let o):
                if case .string(let ref)? = o["$ref"] { refs.append(ref) }
                o.values.forEach(walk)
            case .array(let a): a.forEach(walk)
            default: break
            }
        }
        walk(.object(root))
        #expect(!refs.isEmpty)
        for ref in Set(refs) {
            let parts = ref.split(separator: "/").map(String.init)
            #expect(parts.count == 4 && parts[0] == "#" && parts[1] == "components", "\(ref)")
            guard parts.count == 4, case .object(let section)? = components[parts[2]] else { continue }
            #expect(section[parts[3]] != nil, "\(ref)")
        }
    }

    @Test func schemasAreTight() throws {
        let root = try document()
        guard case .object(let paths)? = root["paths"], case .object(let invite)? = paths["/teams/invite"],
            case .object(let post)? = invite["post"], case .object(let body)? = post["requestBody"],
            case .object(let content)? = body["content"],
            case .object(let json)? = content["application/json"],
            case .object(let schema)? = json["schema"]
        else {
            Issue.record("no invite body")
            return
        }
        #expect(schema["additionalProperties"] == false)
        #expect(schema["required"] == ["emails", "team_role"])
        guard case .object(let properties)? = schema["properties"],
            case .object(let role)? = properties["team_role"]
        else { Issue.record("no team_role"); return }
        #expect(role["enum"] == ["labeler", "member", "manager"])

        guard case .object(let tasks)? = paths["/tasks"], case .object(let get)? = tasks["get"],
            case .array(let parameters)? = get["parameters"]
        else { Issue.record("no /tasks"); return }
        let limit = parameters.first { if case .object(let p) = $0 { p["name"] == "limit" } else { false } }
        guard case .object(let limitObject)? = limit, case .object(let limitSchema)? = limitObject["schema"]
        else {
            Issue.record("no limit")
            return
        }
        #expect(limitSchema["minimum"] == 1 && limitSchema["maximum"] == 100 && limitSchema["default"] == 100)
    }
}
