import TestHelpers
import Testing

@testable import RefonteAPI

/// No string holds a NUL, anywhere, on either side: the client refuses it before sending, and
/// the server's check (the same `ValueChecker`) refuses it with a 400 naming the field.
@Suite struct TextRuleTests {
    @Test func theClientRefusesANULInEveryStringArgumentOfEveryOperation() throws {
        var checked = 0
        for operation in Catalog.operations {
            for parameter in operation.parameters {
                guard let value = valueWithNUL(parameter.type) else { continue }
                do {
                    let request = try operation.prepare([parameter.name: value])
                    Issue.record("\(operation.id).\(parameter.name) was prepared: \(request.path)")
                } catch {
                    #expect(error.kind == .invalidValue, "\(operation.id).\(parameter.name): \(error)")
                    #expect(error.field.hasPrefix(parameter.name), "\(error)")
                    #expect(error.description.contains("NUL"), "\(error)")
                    #expect(error.description.contains(#"\u0000"#), "the message shows where: \(error)")
                }
                checked += 1
            }
        }
        // Names, emails, unique ids, tags, metadata, batches of set_priorities...: all of them.
        #expect(checked >= 40)
    }

    @Test func theServerRefusesANULInEveryStringFieldOfEveryOperation() throws {
        var checked = 0
        for operation in Catalog.operations {
            // Path parameters that are not under test get a valid value.
            let validPath = operation.parameters.filter { $0.location == .path }.map { parameter in
                if case .enumeration(let allowed) = parameter.type {
                    (parameter.wireName, allowed[0])
                } else {
                    (parameter.wireName, "x")
                }
            }
            for parameter in operation.parameters {
                guard let value = valueWithNUL(parameter.type) else { continue }
                var path = Dictionary(uniqueKeysWithValues: validPath)
                var query: [(name: String, value: String)] = []
                var body: [UInt8]?
                switch (parameter.location, value) {
                case (.path, .string(let text)): path[parameter.wireName] = text
                case (.query, .string(let text)): query = [(parameter.wireName, text)]
                case (.query, .array(let items)):
                    query = items.compactMap {
                        if case .string(let s) = $0 { (parameter.wireName, s) } else { nil }
                    }
                case (.body, _): body = JSONValue.object([parameter.wireName: value]).encoded()
                case (.wholeBody, _): body = value.encoded()
                default:
                    Issue.record("no way to send \(operation.id).\(parameter.name)")
                    continue
                }
                do {
                    _ = try operation.validate(pathParameters: path, query: query, body: body)
                    Issue.record("\(operation.id).\(parameter.wireName) was accepted")
                } catch {
                    #expect(error.status == 400)
                    let names = parameter.location == .wholeBody ? "request body" : "'\(parameter.wireName)"
                    #expect(error.message.contains(names), "\(operation.id): \(error.message)")
                    #expect(error.message.contains("NUL"), "\(operation.id): \(error.message)")
                }
                checked += 1
            }
        }
        #expect(checked >= 40)
    }

    @Test func keysOfFreeFormObjectsAndExtraFieldsToo() throws {
        let metadata = try #require(Catalog.operation(id: "tasks.set_metadata"))
        #expect(throws: ArgumentError.self) {
            try metadata.prepare(["task_id": "t", "metadata": .object(["a\u{0}b": 1])])
        }
        do {
            _ = try metadata.validate(
                pathParameters: ["task_id": "t"],
                query: [],
                body: Array(#"{"a\u0000b":1}"#.utf8)
            )
            Issue.record("accepted a NUL in a metadata key")
        } catch {
            #expect(
                error.message
                    == #"request body must be an object whose keys have no NUL characters (\u0000) (got key "a\u0000b")"#
            )
        }

        // Free-form fields of a task type (kept in the task's params) and project params.
        let create = try #require(Catalog.operation(id: "tasks.create"))
        #expect(throws: ArgumentError.self) {
            try create.prepare(["type": "chat", "project": "p", "extra\u{0}": 1])
        }
        #expect(throws: ArgumentError.self) {
            try create.prepare(["type": "chat", "project": "p", "extra": "a\u{0}"])
        }
        #expect(throws: ArgumentError.self) {
            try create.prepare([
                "type": "chat", "project": "p", "extra": .array([.object(["deep": "\u{0}"])]),
            ])
        }
        for (body, names) in [
            (#"{"project":"p","extra\u0000":1}"#, "request body"),
            (#"{"project":"p","extra":"a\u0000"}"#, "'extra'"),
            (#"{"project":"p","extra":[{"deep":"\u0000"}]}"#, "'extra[0].deep'"),
        ] {
            do {
                _ = try create.validate(pathParameters: ["type": "chat"], query: [], body: Array(body.utf8))
                Issue.record("accepted \(body)")
            } catch {
                #expect(error.message.contains(names) && error.message.contains("NUL"), "\(error.message)")
            }
        }
        let params = try #require(Catalog.operation(id: "projects.set_params"))
        #expect(throws: RequestValidationError.self) {
            try params.validate(
                pathParameters: ["project": "p"],
                query: [],
                body: Array(#"{"instruction":"\u0000"}"#.utf8)
            )
        }
    }

    @Test func theMessageShowsWhereTheNULIsInALongString() throws {
        let long = String(repeating: "n", count: 200) + "\u{0}" + String(repeating: "m", count: 200)
        let error = try #require(
            throws: ArgumentError.self,
            performing: {
                try Catalog.operation(id: "projects.create")!.prepare(["type": "chat", "name": .string(long)])
            }
        )
        #expect(error.got?.contains(#"\u0000"#) == true, "\(error)")
        #expect((error.got?.count ?? 1000) < 80, "\(error)")
    }

    @Test func stringsWithoutNULStillPass() throws {
        let create = try #require(Catalog.operation(id: "projects.create"))
        let request = try create.prepare(["type": "chat", "name": "Ünïcode / spaces \t and \\0 as text"])
        #expect(request.body != nil)
    }

    @Test func theOpenAPIDocumentDeclaresTheRule() throws {
        let document = String(decoding: OpenAPIDocument.json(serverURL: "http://x/v1"), as: UTF8.self)
        #expect(document.contains(#""pattern":"^[^\\u0000]*$""#))
    }
}
