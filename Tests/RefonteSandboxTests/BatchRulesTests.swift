import Foundation
import RefonteAPI
import Testing

@testable import RefonteSandbox

@Suite("Studio batches, priorities and pipelines follow the contract")
struct BatchRulesTests {
    private func names(_ list: Any) -> [String] {
        ((list as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
    }

    @Test func seedHasTwelvePendingBatchesCalibrationFirst() async throws {
        let f = try await Fixture()
        let list = try #require(try await f.call("studio.batches.list") as? [[String: Any]])
        #expect(list.count == 12)
        #expect(list.contains { $0["batchType"] as? String == "Calibration" })
        #expect(list.map { $0["studioPriority"] as? Int } == Array(1...12))
    }

    @Test func setPrioritiesMustNameEveryPendingBatchOnce() async throws {
        let f = try await Fixture()
        let current = names(try await f.call("studio.batches.list"))
        func body(_ names: [String]) -> [String: JSONValue] {
            ["batches": .array(names.map { .object(["name": .string($0)]) })]
        }
        let missing = try await f.refusal("studio.batches.set_priorities", body(Array(current.dropLast())))
        #expect(missing.status == 400 && missing.message.contains(current.last!))
        let extra = try await f.refusal("studio.batches.set_priorities", body(current + ["Nope"]))
        #expect(extra.status == 400 && extra.message.contains("Nope"))
        let twice = try await f.refusal("studio.batches.set_priorities", body(current + [current[0]]))
        #expect(twice.status == 400 && twice.message.contains(current[0]))
        let reversed = Array(current.reversed())
        #expect(names(try await f.call("studio.batches.set_priorities", body(reversed))) == reversed)
        #expect(names(try await f.call("studio.batches.list")) == reversed)
    }

    @Test func batchGroupsAreReplacedAndOnlyOnPendingBatches() async throws {
        let f = try await Fixture()
        let batch = "Street Scenes week 2"
        let set = try await f.call(
            "studio.batches.set_groups",
            ["batch": .string(batch), "groups": .strings(["Street Scenes Night Shift"])]
        )
        #expect(json(set, "groups") as? [String] == ["Street Scenes Night Shift"])
        let done = try await f.refusal(
            "studio.batches.set_groups",
            ["batch": .string("Street Scenes week 3 (done)"), "groups": .strings([])]
        )
        #expect(done.status == 400 && done.message.contains("completed"))
        let unknown = try await f.refusal(
            "studio.batches.set_groups",
            ["batch": .string(batch), "groups": .strings(["Nobody Group"])]
        )
        #expect(unknown.status == 400 && unknown.message.contains("Nobody Group"))
    }

    @Test func resetRestoresCalibrationFirstThenCreationDate() async throws {
        let f = try await Fixture()
        let current = try #require(try await f.call("studio.batches.list") as? [[String: Any]])
        let shuffled = current.map { $0["name"] as! String }.shuffled()
        try await f.call(
            "studio.batches.set_priorities",
            ["batches": .array(shuffled.map { .object(["name": .string($0)]) })]
        )
        let reset = try #require(try await f.call("studio.batches.reset_priorities") as? [[String: Any]])
        let order = reset.map { $0["name"] as! String }
        let expected = try f.store.strings(
            """
            SELECT b.name FROM batch b JOIN project p ON p.id = b.project_id
            WHERE b.tenant_id = \(f.tenant.id) AND p.studio = 1 AND b.status != 'completed'
            ORDER BY b.calibration DESC, b.created_at
            """
        )
        #expect(order == expected)
        let types = reset.map { $0["batchType"] as! String }
        let firstProduction = try #require(types.firstIndex(of: "Production"))
        #expect(types[firstProduction...].allSatisfy { $0 == "Production" })
        #expect(firstProduction == 4)
    }

    @Test func sendTasksToCompletedMovesOnlyTasksWithAnAttempt() async throws {
        let f = try await Fixture()
        let project = "Support Chats"
        let tenant = f.tenant.id
        let withAttempt = try f.count(
            """
            SELECT COUNT(*) FROM task t JOIN project p ON p.id = t.project_id WHERE p.name = ? AND t.tenant_id = \(tenant)
            AND t.status = 'pending' AND EXISTS (SELECT 1 FROM attempt a WHERE a.task_seq = t.seq)
            """,
            [project]
        )
        let withoutAttempt = try f.count(
            """
            SELECT COUNT(*) FROM task t JOIN project p ON p.id = t.project_id WHERE p.name = ? AND t.tenant_id = \(tenant)
            AND t.status = 'pending' AND NOT EXISTS (SELECT 1 FROM attempt a WHERE a.task_seq = t.seq)
            """,
            [project]
        )
        #expect(withAttempt > 0 && withoutAttempt > 0)
        let neither = try await f.refusal(
            "studio.projects.send_tasks_to_completed",
            ["project": .string(project)]
        )
        #expect(neither.status == 400)
        let result = try await f.call(
            "studio.projects.send_tasks_to_completed",
            ["project": .string(project), "all_batches": .bool(true), "batches": .strings(["ignored"])]
        )
        #expect(json(result, "project") as? String == project)
        #expect(json(result, "tasks_completed") as? Int == Int(withAttempt))
        #expect((json(result, "batches") as? [String])?.count == 4)
        let pendingLeft = try f.count(
            """
            SELECT COUNT(*) FROM task t JOIN project p ON p.id = t.project_id WHERE p.name = ? AND t.tenant_id = \(tenant)
            AND t.status = 'pending'
            """,
            [project]
        )
        #expect(pendingLeft == withoutAttempt)
        let again = try await f.call(
            "studio.projects.send_tasks_to_completed",
            ["project": .string(project), "batches": .strings(["\(project) week 2"])]
        )
        #expect(json(again, "tasks_completed") as? Int == 0)
        let stranger = try await f.refusal(
            "studio.projects.send_tasks_to_completed",
            ["project": .string(project), "batches": .strings(["Street Scenes week 2"])]
        )
        #expect(stranger.status == 400 && stranger.message.contains("Street Scenes week 2"))
    }

    @Test func pipelineConfigIsForStudioProjectsAndConsensusOnly() async throws {
        let f = try await Fixture()
        let notStudio = try await f.refusal(
            "projects.update_pipeline_config",
            ["project": .string("API Transcripts"), "pipeline": .string("standard_task")]
        )
        #expect(notStudio.status == 400 && notStudio.message.contains("Studio"))
        let attemptsWithoutConsensus = try await f.refusal(
            "projects.update_pipeline_config",
            [
                "project": .string("Street Scenes"), "pipeline": .string("standard_task"),
                "consensus_attempts": .integer(3),
            ]
        )
        #expect(
            attemptsWithoutConsensus.status == 400
                && attemptsWithoutConsensus.message.contains("consensus_attempts")
        )
        let project = try await f.call(
            "projects.update_pipeline_config",
            [
                "project": .string("Street Scenes"), "pipeline": .string("consensus_task"),
                "consensus_attempts": .integer(5),
            ]
        )
        #expect(json(project, "pipeline") as? String == "consensus_task")
        #expect(json(project, "consensus_attempts") as? Int == 5)
    }

    /// `consensus_attempts` is an integer from 1 to 20 (the contract, decided), declared once in
    /// the catalog: the sandbox refuses what the client would refuse, with the catalog's words.
    @Test func consensusAttemptsAreOneToTwentyWherever() async throws {
        let f = try await Fixture()
        for id in ["projects.update_pipeline_config", "projects.create"] {
            let operation = try #require(Catalog.operation(id: id))
            let parameter = try #require(operation.parameters.first { $0.name == "consensus_attempts" })
            #expect(parameter.minimum == 1 && parameter.maximum == 20, "\(id)")
            var values: [String: JSONValue] = [
                "pipeline": .string("consensus_task"), "consensus_attempts": .integer(21),
            ]
            if id == "projects.create" {
                values.merge(["type": .string("chat"), "name": .string("Twenty-one"), "studio": .bool(true)])
                { a, _ in a }
            } else {
                values["project"] = .string("Street Scenes")
            }
            let refused = try await f.refusal(id, values)
            #expect(refused.status == 400, "\(id)")
            #expect(
                refused.message.contains("'consensus_attempts' must be an integer from 1 to 20 (got 21)"),
                "\(id)"
            )
            var luaNames = values
            luaNames["consensus_attempts"] = .integer(21)
            #expect(throws: ArgumentError.self, "\(id)") { try operation.prepare(luaNames) }
            values["consensus_attempts"] = .integer(20)
            let accepted = try await f.call(id, values)
            #expect(json(accepted, "consensus_attempts") as? Int == 20, "\(id)")
        }
        // A pipeline is for Studio projects; the catalog says so, so the client knows it too.
        let plain = try await f.refusal(
            "projects.create",
            ["type": .string("chat"), "name": .string("Plain"), "pipeline": .string("consensus_task")]
        )
        #expect(
            plain.status == 400 && plain.message.contains("'pipeline' is only allowed when 'studio' is true")
        )
    }

    @Test func namesAreUniquePerAccount() async throws {
        let f = try await Fixture()
        let project = try await f.refusal(
            "projects.create",
            ["type": .string("imageannotation"), "name": .string("Street Scenes")]
        )
        #expect(project.status == 409 && project.message.contains("Street Scenes"))
        let batch = try await f.refusal(
            "batches.create",
            ["project": .string("Street Scenes"), "name": .string("Street Scenes week 2")]
        )
        #expect(batch.status == 409)
    }

    @Test func batchListsPageByOffsetWithTotalDocs() async throws {
        let f = try await Fixture()
        let total = Int(try f.count("SELECT COUNT(*) FROM batch WHERE tenant_id = \(f.tenant.id)"))
        var seen: [String] = []
        var offset = 0
        while true {
            let page = try await f.call(
                "batches.list",
                ["limit": .integer(5), "offset": .integer(Int64(offset))]
            )
            #expect(json(page, "total") as? Int == total)
            #expect(json(page, "totalDocs") as? Int == total)
            let docs = try #require(json(page, "docs") as? [[String: Any]])
            seen += docs.map { $0["name"] as! String }
            offset += 5
            if json(page, "has_more") as? Bool != true { break }
        }
        #expect(seen.count == total && Set(seen).count == total)
        let bad = try await f.refusal("batches.list", ["limit": .integer(0)])
        #expect(bad.status == 400 && bad.message.contains("limit"))
    }

    @Test func finalizeAndStatusCounts() async throws {
        let f = try await Fixture()
        let name = "Street Scenes week 3"
        let batch = try await f.call("batches.finalize", ["batch": .string(name)])
        #expect(json(batch, "status") as? String == "in_progress")
        let status = try await f.call("batches.status", ["batch": .string(name)])
        let total = try f.count(
            "SELECT COUNT(*) FROM task t JOIN batch b ON b.id = t.batch_id WHERE b.name = ? AND b.tenant_id = \(f.tenant.id)",
            [name]
        )
        let sum = ["pending", "completed", "error", "canceled"].map { json(status, $0) as? Int ?? 0 }.reduce(
            0,
            +
        )
        #expect(Int64(sum) == total)
        // Finalizing again is harmless.
        #expect(
            json(try await f.call("batches.finalize", ["batch": .string(name)]), "status") as? String
                == "in_progress"
        )
    }
}
