import Foundation
import Logging
import RefonteSandbox
import RefonteScripting
import Testing

@Suite("API calls from Lua")
struct APIBehaviourTests {
    @Test("an iterator walks every page lazily and sees every item once")
    func iteratorWalksPages() async throws {
        try await withSandbox { sandbox in
            let source = """
                local first = refonte.tasks.list { limit = 100 }
                local total = first.total
                local seen, count = {}, 0
                for task in refonte.tasks.iter { page_size = 37 } do
                  assert(not seen[task.task_id], "seen twice: " .. task.task_id)
                  seen[task.task_id] = true
                  count = count + 1
                end
                assert(count == total, string.format("iterated %d of %d", count, total))
                -- Offset paging, and an early break that fetches nothing more.
                local batches = 0
                for _ in refonte.batches.iter { page_size = 5 } do batches = batches + 1 end
                assert(batches == refonte.batches.list { limit = 100 }.total, "batches")
                for _ in refonte.tasks.iter { page_size = 1 } do break end
                """
            try await runLua(source, connection: connection(to: sandbox))
        }
    }

    @Test("an API failure raises a table with status, code, message and operation")
    func errorValue() async throws {
        try await withSandbox { sandbox in
            let source = """
                local ok, err = pcall(refonte.projects.get, { project = "no such project" })
                assert(not ok)
                assert(err.status == 404, tostring(err.status))
                assert(err.code == "not_found", err.code)
                assert(err.operation == "projects.get", err.operation)
                assert(err.message:find("no such project", 1, true), err.message)
                local text = tostring(err)
                assert(text:find("^refonte.projects.get failed: 404 not_found: "), text)

                local project, e = refonte.try(refonte.projects.get, { project = "no such project" })
                assert(project == nil and e.code == "not_found")
                local team = refonte.try(refonte.teams.list)
                assert(#team > 0)
                """
            try await runLua(source, connection: connection(to: sandbox))
        }
    }

    @Test("an uncaught API error fails the run with its readable text")
    func uncaught() async throws {
        try await withSandbox { sandbox in
            do {
                try await runLua(
                    #"refonte.batches.get { batch = "missing batch" }"#,
                    connection: connection(to: sandbox)
                )
                Issue.record("the script should have failed")
            } catch {
                #expect("\(error)".contains("refonte.batches.get failed: 404 not_found"))
            }
        }
    }

    @Test("refonte.env tells the run's facts and learns the base URL on the first call")
    func env() async throws {
        try await withSandbox { sandbox in
            let source = """
                assert(refonte.env.sandbox == true and refonte.env.dry_run == false)
                assert(refonte.env.base_url == nil)
                refonte.teams.list()
                assert(refonte.env.base_url == ..., tostring(refonte.env.base_url))
                """
            try await runLua(source, arguments: [sandbox.baseURL], connection: connection(to: sandbox))
        }
    }

    @Test("spawned tasks make their calls concurrently and all succeed")
    func concurrentCalls() async throws {
        try await withSandbox { sandbox in
            let source = """
                local tasks = {}
                for i = 1, 20 do
                  tasks[i] = spawn(function() return #refonte.teams.list() end)
                end
                local first = tasks[1]:wait()
                for i = 2, 20 do assert(tasks[i]:wait() == first) end
                """
            try await runLua(source, connection: connection(to: sandbox))
        }
    }

    @Test("the API key never reaches Lua, logs or errors")
    func keyStaysSecret() async throws {
        let sink = CapturedLog()
        let logger = Logger(label: "test", factory: { _ in sink.handler() })
        try await withSandbox { sandbox in
            let source = """
                local function walk(value, seen)
                  if type(value) == "string" then
                    assert(not value:find("leakcanary", 1, true), "the key is reachable from Lua")
                  elseif type(value) == "table" and not seen[value] then
                    seen[value] = true
                    for k, v in pairs(value) do walk(k, seen) walk(v, seen) end
                  end
                end
                refonte.teams.list()
                walk(_G, {})
                local ok, err = pcall(refonte.projects.get, { project = "missing" })
                walk(err, {})
                log.info("after an error", { err = tostring(err) })
                """
            try await runLua(source, connection: connection(to: sandbox, logger: logger), logger: logger)
        }
        #expect(!sink.text.isEmpty)
        #expect(!sink.text.contains("leakcanary"))
    }
}

/// Collects every log record as text, at trace level.
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var text: String { lock.withLock { lines.joined(separator: "\n") } }

    func append(_ line: String) { lock.withLock { lines.append(line) } }

    func handler() -> some LogHandler { Handler(sink: self) }

    private struct Handler: LogHandler {
        let sink: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            sink.append("\(event.level) \(event.message) \(event.metadata ?? [:]) \(metadata)")
        }
    }
}
