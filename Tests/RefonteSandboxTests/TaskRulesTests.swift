import Foundation
import RefonteAPI
import Testing

@testable import RefonteSandbox

@Suite("Tasks follow the contract")
struct TaskRulesTests {
    private func create(_ f: Fixture, _ extra: [String: JSONValue] = [:]) async throws -> [String: Any] {
        var values: [String: JSONValue] = [
            "type": .string("imageannotation"), "project": .string("Street Scenes"),
        ]
        values.merge(extra) { _, new in new }
        return try #require(try await f.call("tasks.create", values) as? [String: Any])
    }

    @Test func uniqueIDsAreUniqueAndCreateNothingTwice() async throws {
        let f = try await Fixture()
        let before = try f.count("SELECT COUNT(*) FROM task")
        let task = try await create(
            f,
            ["unique_id": .string("order-1"), "batch": .string("Street Scenes week 2")]
        )
        #expect(task["unique_id"] as? String == "order-1")
        let again = try await f.refusal(
            "tasks.create",
            [
                "type": .string("imageannotation"), "project": .string("Street Scenes"),
                "unique_id": .string("order-1"),
            ]
        )
        #expect(again.status == 409 && again.message.contains("order-1"))
        #expect(try f.count("SELECT COUNT(*) FROM task") == before + 1)
        // Clearing frees the id.
        let cleared = try await f.call(
            "tasks.clear_unique_id",
            ["task_id": .string(task["task_id"] as! String)]
        )
        #expect(json(cleared, "unique_id") == nil)
        _ = try await create(f, ["unique_id": .string("order-1")])
    }

    @Test func extraFieldsBecomeParams() async throws {
        let f = try await Fixture()
        let task = try await f.call(
            "tasks.create",
            [
                "type": .string("categorization"), "project": .string("Street Scenes"),
                "attachment": .string("https://x/1.png"),
            ],
            extra: ["categories": .strings(["cat", "dog"])]
        )
        #expect(json(task, "params.categories") as? [String] == ["cat", "dog"])
        #expect(json(task, "params.attachment") as? String == "https://x/1.png")
        #expect(json(task, "status") as? String == "pending")
    }

    @Test func cancelOnlyPendingAndRepeatable() async throws {
        let f = try await Fixture()
        let task = try await create(f, ["unique_id": .string("c-1")])
        let id = task["task_id"] as! String
        let canceled = try await f.call("tasks.cancel", ["task_id": .string(id)])
        #expect(json(canceled, "status") as? String == "canceled")
        #expect(json(canceled, "unique_id") as? String == "c-1")
        let twice = try await f.call(
            "tasks.cancel",
            ["task_id": .string(id), "clear_unique_id": .bool(true)]
        )
        #expect(json(twice, "status") as? String == "canceled")
        #expect(json(twice, "unique_id") == nil)
        let completed = try #require(
            try f.store.strings(
                "SELECT task_id FROM task WHERE status = 'completed' AND tenant_id = \(f.tenant.id) LIMIT 1"
            ).first
        )
        let refused = try await f.refusal("tasks.cancel", ["task_id": .string(completed)])
        #expect(refused.status == 400 && refused.message.contains("completed"))
        let missing = try await f.refusal("tasks.cancel", ["task_id": .string("nope")])
        #expect(missing.status == 404 && missing.message.contains("nope"))
    }

    @Test func tagsSetAddRemove() async throws {
        let f = try await Fixture()
        let id = try await create(f)["task_id"] as! String
        #expect(
            json(
                try await f.call(
                    "tasks.set_tags",
                    ["task_id": .string(id), "tags": .strings(["a", "b", "a"])]
                ),
                "tags"
            ) as? [String] == ["a", "b"]
        )
        #expect(
            json(
                try await f.call("tasks.add_tags", ["task_id": .string(id), "tags": .strings(["b", "c"])]),
                "tags"
            ) as? [String] == ["a", "b", "c"]
        )
        #expect(
            json(
                try await f.call(
                    "tasks.remove_tags",
                    ["task_id": .string(id), "tags": .strings(["a", "z"])]
                ),
                "tags"
            ) as? [String] == ["b", "c"]
        )
    }

    @Test func setUniqueIDRefusesOneInUse() async throws {
        let f = try await Fixture()
        let first = try await create(f, ["unique_id": .string("u-1")])["task_id"] as! String
        let second = try await create(f)["task_id"] as! String
        let refused = try await f.refusal(
            "tasks.set_unique_id",
            ["task_id": .string(second), "unique_id": .string("u-1")]
        )
        #expect(refused.status == 409 && refused.message.contains(first))
        // Setting a task's own id again is fine.
        #expect(
            json(
                try await f.call(
                    "tasks.set_unique_id",
                    ["task_id": .string(first), "unique_id": .string("u-1")]
                ),
                "unique_id"
            ) as? String == "u-1"
        )
    }

    @Test func auditRecordsOnCompletedTasks() async throws {
        let f = try await Fixture()
        let completed = try #require(
            try f.store.strings(
                "SELECT task_id FROM task WHERE status = 'completed' AND tenant_id = \(f.tenant.id) LIMIT 1"
            ).first
        )
        try await f.call(
            "tasks.audit",
            ["task_id": .string(completed), "accepted": .bool(false), "comments": .string("blurry")]
        )
        #expect(
            try f.store.strings("SELECT review_status FROM task WHERE task_id = ?", [completed]) == [
                "rejected"
            ]
        )
        let pending = try await create(f)["task_id"] as! String
        #expect(
            try await f.refusal("tasks.audit", ["task_id": .string(pending), "accepted": .bool(true)]).status
                == 400
        )
        // The review status is a list filter.
        let page = try await f.call("tasks.list", ["customer_review_status": .string("rejected")])
        #expect((json(page, "docs") as? [[String: Any]])?.map { $0["task_id"] as? String } == [completed])
    }

    @Test func cursorPagesStayCorrectWhileTasksAreInserted() async throws {
        let f = try await Fixture()
        let total = Int(try f.count("SELECT COUNT(*) FROM task WHERE tenant_id = \(f.tenant.id)"))
        var seen: [String] = []
        var token: JSONValue = .null
        var inserted = 0
        repeat {
            let page = try await f.call("tasks.list", ["limit": .integer(100), "next_token": token])
            let docs = try #require(json(page, "docs") as? [[String: Any]])
            seen += docs.map { $0["task_id"] as! String }
            // New tasks arrive between pages; they are newer than every page still to come.
            _ = try await create(f)
            inserted += 1
            token = (json(page, "next_token") as? String).map(JSONValue.string) ?? .null
        } while token != .null
        #expect(seen.count == total)
        #expect(Set(seen).count == total)
        #expect(inserted == (total + 99) / 100)
        let bad = try await f.refusal("tasks.list", ["next_token": .string("garbage")])
        #expect(bad.status == 400 && bad.message.contains("next_token"))
    }

    @Test func newestFirst() async throws {
        let f = try await Fixture()
        let id = try await create(f)["task_id"] as! String
        let page = try await f.call(
            "tasks.list",
            ["limit": .integer(3), "project": .string("Street Scenes")]
        )
        #expect(json(page, "docs.0.task_id") as? String == id)
        let dates = (json(page, "docs") as? [[String: Any]] ?? []).map { $0["created_at"] as! String }
        #expect(dates == dates.sorted(by: >))
    }

    @Test func limitedResponseLeavesOutResponses() async throws {
        let f = try await Fixture()
        let full = try await f.call("tasks.list", ["status": .string("completed"), "limit": .integer(5)])
        #expect((json(full, "docs") as? [[String: Any]])?.allSatisfy { $0["response"] != nil } == true)
        let limited = try await f.call(
            "tasks.list",
            ["status": .string("completed"), "limit": .integer(5), "limited_response": .bool(true)]
        )
        let docs = try #require(json(limited, "docs") as? [[String: Any]])
        #expect(docs.count == 5 && docs.allSatisfy { $0["response"] == nil })
    }

    @Test func liveAndTestDataNeverMix() async throws {
        let f = try await Fixture()
        let live = try #require(try await f.store.tenant(forKey: try f.store.anyKey(mode: .live)))
        #expect(live.id != f.tenant.id)
        let task = try await create(f, ["unique_id": .string("mode-check")])
        let missing = try await f.refusal(
            "tasks.get",
            ["task_id": .string(task["task_id"] as! String)],
            as: live
        )
        #expect(missing.status == 404)
        // The same unique_id is free in the other mode.
        try await f.call(
            "tasks.create",
            [
                "type": .string("chat"), "project": .string("Support Chats"),
                "unique_id": .string("mode-check"),
            ],
            as: live
        )
    }

    @Test func trainingAttemptsNeedAFilterAndPage() async throws {
        let f = try await Fixture()
        let refused = try await f.refusal("quality.attempts.list", [:])
        #expect(refused.status == 400 && refused.message.contains("quality_task_ids"))
        let email = try #require(
            try f.store.strings(
                "SELECT labeler_email FROM attempt WHERE tenant_id = \(f.tenant.id) GROUP BY labeler_email ORDER BY COUNT(*) DESC LIMIT 1"
            ).first
        )
        let count = Int(
            try f.count(
                "SELECT COUNT(*) FROM attempt WHERE tenant_id = \(f.tenant.id) AND labeler_email = ?",
                [email]
            )
        )
        var seen = 0
        var token: JSONValue = .null
        repeat {
            let page = try await f.call(
                "quality.attempts.list",
                ["labeler_emails": .strings([email]), "limit": .integer(7), "next_token": token]
            )
            let docs = try #require(json(page, "docs") as? [[String: Any]])
            #expect(docs.allSatisfy { $0["labeler_email"] as? String == email })
            seen += docs.count
            token = (json(page, "next_token") as? String).map(JSONValue.string) ?? .null
        } while token != .null
        #expect(seen == count)
    }

    @Test func setParamsAddsHistory() async throws {
        let f = try await Fixture()
        let first = try await f.call(
            "projects.set_params",
            ["project": .string("Street Scenes"), "instruction": .string("v2")]
        )
        #expect((json(first, "param_history") as? [Any])?.count == 2)
        let patched = try await f.call(
            "projects.set_params",
            ["project": .string("Street Scenes"), "patch": .bool(true), "min_height": .integer(10)]
        )
        #expect(json(patched, "param_history.2.instruction") as? String == "v2")
        #expect(json(patched, "param_history.2.min_height") as? Int == 10)
        #expect(json(patched, "param_history.2.version") as? Int == 3)
    }

    @Test func importFileRecordsIt() async throws {
        let f = try await Fixture()
        let file = try await f.call(
            "files.import",
            [
                "file_url": .string("https://x.example.com/a/photo.png"),
                "project_name": .string("Street Scenes"),
            ]
        )
        #expect(json(file, "mime_type") as? String == "image/png")
        #expect(json(file, "project_names") as? [String] == ["Street Scenes"])
        #expect(try await f.refusal("files.import", ["file_url": .string("not a url")]).status == 400)
    }
}
