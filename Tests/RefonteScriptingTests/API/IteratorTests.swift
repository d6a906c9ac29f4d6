import Foundation
import RefonteAPI
import RefonteSandbox
import Testing

/// `<group>.iter`: `limit` caps the items (all pages together), `page_size` sets the page, and
/// the sandbox's request log shows that no page beyond the cap is fetched.
@Suite("Page iterators")
struct IteratorTests {
    @Test(arguments: [
        // limit, page_size, items yielded, the pages' limits as sent
        ("limit = 5", 5, ["5"]),
        ("limit = 150", 150, ["100", "50"]),
        ("limit = 25, page_size = 10", 25, ["10", "10", "5"]),
        ("page_size = 100, limit = 100", 100, ["100"]),
    ])
    func limitCapsTheItemsAndPageSizeSetsThePage(
        arguments: String,
        yielded: Int,
        pages: [String]
    ) async throws {
        try await withSandbox { sandbox in
            let source = """
                local n = 0
                for task in refonte.tasks.iter { \(arguments) } do
                  assert(task.task_id)
                  n = n + 1
                end
                assert(n == \(yielded), "yielded " .. n)
                """
            try await runLua(source, connection: connection(to: sandbox))
            #expect(try await sentLimits(sandbox, operation: "tasks.list") == pages)
        }
    }

    /// Offset paging too: the last page asks for what is left, from where the last one ended.
    @Test func offsetPagingStopsAtTheCap() async throws {
        try await withSandbox { sandbox in
            let source = """
                local names = {}
                for batch in refonte.batches.iter { limit = 3, page_size = 2 } do names[#names + 1] = batch.name end
                local all = refonte.batches.list { limit = 3 }.docs
                assert(#names == 3 and names[3] == all[3].name, table.concat(names, ","))
                """
            try await runLua(source, connection: connection(to: sandbox))
            let paths = try await sentPaths(sandbox, operation: "batches.list")
            #expect(paths.count == 3, "\(paths)")
            #expect(paths.first?.contains("limit=2") == true, "\(paths)")
            #expect(paths.dropFirst().first?.contains("limit=1") == true, "\(paths)")
            #expect(paths.dropFirst().first?.contains("offset=2") == true, "\(paths)")
        }
    }

    /// Without `limit`, every item of every page, as before.
    @Test func withoutALimitEveryItem() async throws {
        try await withSandbox { sandbox in
            let source = """
                local n = 0
                for _ in refonte.tasks.iter { page_size = 100 } do n = n + 1 end
                assert(n == 2000, n)
                """
            try await runLua(source, connection: connection(to: sandbox))
            #expect(try await sentLimits(sandbox, operation: "tasks.list").count == 20)
        }
    }

    @Test(arguments: [
        ("{ limit = 0 }", "refonte.tasks.iter: argument 'limit' must be", "got 0"),
        ("{ limit = 'all' }", "refonte.tasks.iter: argument 'limit' must be", "\"all\""),
        ("{ page_size = 500 }", "refonte.tasks.iter: argument 'page_size' must be", "got 500"),
        ("{ page_size = 0, limit = 10 }", "refonte.tasks.iter: argument 'page_size' must be", "got 0"),
        ("{ staus = 'pending' }", "refonte.tasks.iter: unknown argument 'staus'", "did you mean 'status'?"),
        ("{ pagesize = 10 }", "refonte.tasks.iter: unknown argument 'pagesize'", "did you mean 'page_size'?"),
        ("{ status = 'done' }", "refonte.tasks.iter: argument 'status' must be one of", "\"done\""),
    ])
    func badArgumentsNameTheIterator(arguments: String, message: String, detail: String) async throws {
        try await withSandbox { sandbox in
            let source = """
                local ok, err = pcall(refonte.tasks.iter, \(arguments))
                assert(not ok, "accepted")
                assert(type(err) == "table" and err.code == "invalid_argument", tostring(err))
                local text = tostring(err)
                assert(text:find(\(luaString(message)), 1, true), text)
                assert(text:find(\(luaString(detail)), 1, true), text)
                """
            try await runLua(source, connection: connection(to: sandbox))
            #expect(try await sentPaths(sandbox, operation: "tasks.list").isEmpty)
        }
    }

    /// The `limit=` of each request of `operation` the sandbox received, in order.
    private func sentLimits(_ sandbox: EmbeddedSandbox, operation: String) async throws -> [String] {
        try await sentPaths(sandbox, operation: operation).map { path in
            let query = path.split(separator: "?").dropFirst().first ?? ""
            let item = query.split(separator: "&").first { $0.hasPrefix("limit=") }
            return item.map { String($0.dropFirst("limit=".count)) } ?? "(none)"
        }
    }

    private func sentPaths(_ sandbox: EmbeddedSandbox, operation: String) async throws -> [String] {
        let log = try await requestLog(of: sandbox, query: "since=0&limit=1000")
        guard case .array(let requests)? = log.value(at: ["requests"]) else {
            throw IteratorTestError("unexpected request log \(log)")
        }
        return requests.compactMap { entry in
            guard entry.value(at: ["operation"]) == .string(operation),
                case .string(let path)? = entry.value(at: ["path"])
            else { return nil }
            return path
        }
    }
}

struct IteratorTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
