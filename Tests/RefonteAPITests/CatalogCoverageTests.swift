import Testing

@testable import RefonteAPI

/// The contract's operations, copied by hand from api-contract.md so that a missing or moved
/// catalog entry fails here rather than in a user's script.
private let contract: [(method: HTTPMethod, path: String)] = [
    (.get, "/teams"),
    (.post, "/teams/invite"),
    (.post, "/teams/set_role"),
    (.get, "/studio/assignments"),
    (.post, "/studio/assignments/add"),
    (.post, "/studio/assignments/remove"),
    (.get, "/studio/projects/{project}/groups"),
    (.post, "/studio/projects/{project}/groups"),
    (.put, "/studio/projects/{project}/groups/{group}"),
    (.get, "/studio/batches"),
    (.put, "/studio/batches/{batch}"),
    (.post, "/studio/batches/set_priorities"),
    (.post, "/studio/batches/reset_priorities"),
    (.post, "/studio/projects/{project}/send_tasks_to_completed"),
    (.post, "/projects/{project}/updatePipelineConfig"),
    (.get, "/quality/labelers"),
    (.post, "/projects"),
    (.get, "/projects"),
    (.get, "/projects/{project}"),
    (.post, "/projects/{project}/setParams"),
    (.post, "/batches"),
    (.get, "/batches/{batch}"),
    (.get, "/batches/{batch}/status"),
    (.get, "/batches"),
    (.post, "/batches/{batch}/finalize"),
    (.post, "/batches/{batch}/setMetadata"),
    (.post, "/task/{type}"),
    (.get, "/task/{task_id}"),
    (.get, "/tasks"),
    (.post, "/task/{task_id}/cancel"),
    (.post, "/task/{task_id}/audit"),
    (.post, "/task/{task_id}/setMetadata"),
    (.post, "/task/{task_id}/tags"),
    (.put, "/task/{task_id}/tags"),
    (.delete, "/task/{task_id}/tags"),
    (.post, "/task/{task_id}/unique_id"),
    (.delete, "/task/{task_id}/unique_id"),
    (.post, "/files/import"),
]

@Suite struct CatalogCoverageTests {
    @Test func everyContractOperationHasExactlyOneEntry() {
        for (method, path) in contract {
            let matches = Catalog.operations.filter { $0.method == method && $0.path == path }
            #expect(matches.count == 1, "\(method.rawValue) \(path)")
        }
        #expect(Catalog.operations.count == contract.count)
    }

    @Test func pipelineConfigAlsoAnswersUnderStudio() throws {
        let op = try #require(Catalog.operation(id: "projects.update_pipeline_config"))
        #expect(op.aliases == [.init(method: .post, path: "/studio/projects/{project}/updatePipelineConfig")])
    }

    @Test func idsAreUniqueAndLookupFindsEach() {
        #expect(Set(Catalog.operations.map(\.id)).count == Catalog.operations.count)
        for op in Catalog.operations {
            #expect(Catalog.operation(id: op.id)?.path == op.path)
        }
        #expect(Catalog.operation(id: "teams.nope") == nil)
    }

    @Test func pathTemplatesAndPathParametersAgree() {
        for op in Catalog.operations {
            let inTemplate = op.path.split(separator: "/").filter { $0.hasPrefix("{") }.map {
                String($0.dropFirst().dropLast())
            }
            let declared = op.parameters.filter { $0.location == .path }.map(\.wireName)
            #expect(inTemplate == declared, "\(op.id)")
            let allRequired = op.parameters.filter { $0.location == .path }.allSatisfy { $0.required }
            #expect(allRequired, "\(op.id)")
        }
    }

    @Test func luaNamesAreWireNamesExceptRole() {
        for op in Catalog.operations {
            for p in op.parameters where p.name != p.wireName {
                #expect(p.name == "role" && p.wireName == "team_role", "\(op.id).\(p.name)")
            }
        }
    }

    @Test func paginatedOperationsAreNamedList() {
        for op in Catalog.operations where op.pagination != .none {
            #expect(op.luaPath.last == "list", "\(op.id)")
        }
    }

    @Test func readsNeverMutateAndAreIdempotent() {
        for op in Catalog.operations where op.method == .get {
            #expect(!op.mutates && op.idempotent, "\(op.id)")
        }
        for op in Catalog.operations where op.method != .get {
            #expect(op.mutates, "\(op.id)")
        }
    }

    @Test func everyModelReferenceResolves() {
        func check(_ schema: ResponseSchema, _ context: String) {
            switch schema {
            case .model(let name): #expect(Catalog.model(named: name) != nil, "\(context): \(name)")
            case .array(let s), .map(let s), .nullable(let s): check(s, context)
            case .object(let fields, _): for f in fields { check(f.schema, context + "." + f.name) }
            default: break
            }
        }
        for op in Catalog.operations { check(op.response, op.id) }
        for model in Catalog.models { check(model.schema, model.name) }
    }
}
