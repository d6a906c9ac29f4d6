import Testing

@testable import RefonteAPI
@testable import RefonteScripting

/// The catalog's retry classes and dry-run echoes are declarations other code trusts: each
/// must name things that exist and produce answers of the declared shape.
@Suite struct DryRunCatalogTests {
    static let prefix = Placeholder.prefix(tag: "0123abcd")

    static func example(_ operation: Operation) throws -> PreparedRequest {
        try operation.prepare(
            Dictionary(
                uniqueKeysWithValues: LuaExample.exampleArguments(operation).map { ($0.name, $0.value) }
            )
        )
    }

    @Test func readsAreSafeAndWritesDeclareAClassOtherThanSafe() {
        for operation in Catalog.operations {
            if operation.mutates {
                #expect(operation.retry != .safe, "\(operation.id)")
            } else {
                #expect(operation.retry == .safe, "\(operation.id)")
            }
        }
    }

    /// Every recovery reads with an existing read operation, from arguments the write has, and
    /// picks from fields the read's answer has.
    @Test func everyRecoveryNamesARealReadAndRealArguments() throws {
        for operation in Catalog.operations {
            guard let recovery = operation.retry.recovery else { continue }
            let reader = try #require(Catalog.operation(id: recovery.operationID), "\(operation.id)")
            #expect(!reader.mutates, "\(operation.id): \(reader.id) must be a read")
            for (readName, writeName) in recovery.arguments {
                #expect(reader.parameters.contains { $0.name == readName }, "\(operation.id): \(readName)")
                #expect(
                    operation.parameters.contains { $0.wireName == writeName },
                    "\(operation.id): \(writeName)"
                )
            }
            if let key = recovery.derivedKey {
                #expect(operation.parameters.contains { $0.wireName == key }, "\(operation.id): \(key)")
            }
            // The read can be built from the write's example.
            var request = try Self.example(operation)
            if let key = recovery.derivedKey {
                request = DerivedKeys(runID: "run_test").filling(request, of: operation)
                #expect(operation.wireArguments(of: request).values[key] != nil)
            }
            #expect(recovery.read(for: request, of: operation) != nil, "\(operation.id)")
        }
    }

    /// The answer a dry run gives every write has the response's shape, with placeholder
    /// markers wherever a value is unknown.
    @Test func plannedAnswersHaveTheResponseShape() throws {
        for operation in Catalog.operations where operation.mutates {
            let request = try Self.example(operation)
            let answer = PlannedResponse(
                operation: operation,
                arguments: operation.wireArguments(of: request),
                source: .write(1),
                prefix: Self.prefix
            ).json()
            let problems = operation.response.conformanceProblems(of: answer).filter {
                !$0.contains(Self.prefix)
            }
            #expect(problems.isEmpty, "\(operation.id): \(problems)")
        }
    }

    @Test func plannedAnswersEchoWhatWasSent() throws {
        let invite = try #require(Catalog.operation(id: "teams.invite"))
        let request = try invite.prepare(["emails": ["a@x.com", "b@x.com"], "role": "labeler"])
        let answer = PlannedResponse(
            operation: invite,
            arguments: invite.wireArguments(of: request),
            source: .write(3),
            prefix: Self.prefix
        ).json()
        guard case .array(let team) = answer, team.count == 2, case .object(let first) = team[0] else {
            Issue.record("expected two teammates, got \(answer)")
            return
        }
        #expect(first["email"] == "a@x.com")
        #expect(first["role"] == "invited")
        #expect(first["isStudioLabeler"] == .string(Self.prefix + "w3/0/isStudioLabeler)"))

        let create = try #require(Catalog.operation(id: "tasks.create"))
        let task = try create.prepare([
            "type": "imageannotation", "project": "P", "unique_id": "u1", "geometry": ["box": [:]],
        ])
        let planned = PlannedResponse(
            operation: create,
            arguments: create.wireArguments(of: task),
            source: .write(1),
            prefix: Self.prefix
        ).json()
        #expect(planned.value(at: ["type"]) == "imageannotation")
        #expect(planned.value(at: ["unique_id"]) == "u1")
        #expect(planned.value(at: ["batch"]) == .null)
        #expect(planned.value(at: ["params"]) == .object(["geometry": ["box": [:]]]))
        #expect(planned.value(at: ["task_id"]) == .string(Self.prefix + "w1/task_id)"))
        #expect(planned.value(at: ["completed_at"]) == nil)
    }

    @Test func placeholdersRoundTripThroughTheirMarkers() {
        let placeholder = Placeholder(source: .write(12), path: ["workers", "0", "a/b)c~"])
        let marker = placeholder.marker(prefix: Self.prefix)
        #expect(Placeholder.parse(marker, prefix: Self.prefix) == placeholder)
        #expect(Placeholder.parse(marker, prefix: Placeholder.prefix(tag: "ffffffff")) == nil)
        #expect(placeholder.readable == "(known after apply: write 12 workers.0.a/b)c~)")
    }

    /// The same call in a run gets the same key on a retry (the key is in the request), two
    /// identical calls get two keys, and another run gets others.
    @Test func derivedKeysDependOnTheRunTheCallAndItsPosition() throws {
        let create = try #require(Catalog.operation(id: "tasks.create"))
        let request = try create.prepare(["type": "imageannotation", "project": "P"])
        let keys = DerivedKeys(runID: "run_a")
        func key(_ request: PreparedRequest) -> JSONValue? {
            create.wireArguments(of: request).values["unique_id"]
        }
        let first = keys.filling(request, of: create)
        let second = keys.filling(request, of: create)
        #expect(key(first) != nil && key(first) != key(second))
        #expect(key(keys.filling(first, of: create)) == key(first))
        #expect(key(DerivedKeys(runID: "run_a").filling(request, of: create)) == key(first))
        #expect(key(DerivedKeys(runID: "run_b").filling(request, of: create)) != key(first))
        let given = try create.prepare(["type": "imageannotation", "project": "P", "unique_id": "mine"])
        #expect(key(keys.filling(given, of: create)) == "mine")
    }
}
