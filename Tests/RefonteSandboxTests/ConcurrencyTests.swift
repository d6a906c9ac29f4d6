import Foundation
import HTTPTypes
import Testing

@testable import RefonteSandbox

@Suite("Concurrent writers")
struct ConcurrencyTests {
    static let clients = 8
    static let writesPerClient = 500

    struct Tally: Sendable {
        var created: [String] = []
        var statuses: [Int: Int] = [:]
        var sharedWins = 0
        var metadataSet: [String: Int] = [:]
        var tagged = Set<String>()
        var canceled = Set<String>()
        var batches = 0
        var invites = 0
    }

    /// Eight clients, 500 mixed writes each: every write answers 200 (or the 409 of a lost race
    /// for one shared unique_id), and afterwards the database holds exactly what was answered.
    @Test func mixedWritesLeaveAConsistentState() async throws {
        let fixture = try await HTTPFixture()
        let store = fixture.server.store
        let tenant = try #require(try await store.tenant(forKey: HTTPFixture.key)).id
        let tasksBefore = try store.integer("SELECT COUNT(*) FROM task WHERE tenant_id = \(tenant)")
        let batchesBefore = try store.integer("SELECT COUNT(*) FROM batch WHERE tenant_id = \(tenant)")
        let teamBefore = try store.integer("SELECT COUNT(*) FROM teammate WHERE tenant_id = \(tenant)")

        let tallies = try await fixture.run { client in
            try await withThrowingTaskGroup(of: Tally.self) { group in
                for c in 0..<Self.clients {
                    group.addTask {
                        var tally = Tally()
                        var mine: [String] = []
                        for n in 0..<Self.writesPerClient {
                            let reply: Reply
                            switch n % 10 {
                            case 0, 1, 2, 3:
                                reply = try await client.call(
                                    .post,
                                    "/v1/task/chat",
                                    body:
                                        #"{"project":"Support Chats","unique_id":"c\#(c)-\#(n)","metadata":{"n":\#(n)}}"#
                                )
                                if reply.status == 200, let id = json(reply.json as Any, "task_id") as? String
                                {
                                    mine.append(id)
                                    tally.created.append("c\(c)-\(n)")
                                }
                            case 4 where n == 4:
                                // Every client races for the same unique_id; exactly one wins.
                                reply = try await client.call(
                                    .post,
                                    "/v1/task/chat",
                                    body: #"{"project":"Support Chats","unique_id":"shared"}"#
                                )
                                if reply.status == 200 { tally.sharedWins += 1 }
                            case 4, 5:
                                let id = mine[mine.count - 1 - (n % 3)]
                                reply = try await client.call(
                                    .post,
                                    "/v1/task/\(id)/setMetadata",
                                    body: #"{"v":\#(n)}"#
                                )
                                if reply.status == 200 { tally.metadataSet[id] = n }
                            case 6, 7:
                                let id = mine[n % mine.count]
                                reply = try await client.call(
                                    .put,
                                    "/v1/task/\(id)/tags",
                                    body: #"["client\#(c)"]"#
                                )
                                if reply.status == 200 { tally.tagged.insert(id) }
                            case 8:
                                let id = mine[mine.count - 1]
                                reply = try await client.call(.post, "/v1/task/\(id)/cancel")
                                if reply.status == 200 { tally.canceled.insert(id) }
                            default:
                                if n % 20 == 9 {
                                    reply = try await client.call(
                                        .post,
                                        "/v1/batches",
                                        body: #"{"project":"Support Chats","name":"load c\#(c) n\#(n)"}"#
                                    )
                                    if reply.status == 200 { tally.batches += 1 }
                                } else {
                                    reply = try await client.call(
                                        .post,
                                        "/v1/teams/invite",
                                        body:
                                            #"{"emails":["load\#(c).\#(n)@example.com"],"team_role":"member"}"#
                                    )
                                    if reply.status == 200 { tally.invites += 1 }
                                }
                            }
                            tally.statuses[reply.status, default: 0] += 1
                        }
                        return tally
                    }
                }
                var all: [Tally] = []
                for try await tally in group { all.append(tally) }
                return all
            }
        }

        var statuses: [Int: Int] = [:]
        for tally in tallies { statuses.merge(tally.statuses, uniquingKeysWith: +) }
        // No 5xx (and so no SQLITE_BUSY) reached a client; the only refusals are the lost races.
        #expect(statuses.keys.allSatisfy { $0 == 200 || $0 == 409 }, "\(statuses)")
        #expect(statuses[409, default: 0] == Self.clients - 1)
        #expect(tallies.map(\.sharedWins).reduce(0, +) == 1)
        #expect(statuses.values.reduce(0, +) == Self.clients * Self.writesPerClient)

        let created = tallies.flatMap(\.created)
        #expect(created.count == Self.clients * Self.writesPerClient * 4 / 10)
        #expect(
            try store.integer("SELECT COUNT(*) FROM task WHERE tenant_id = \(tenant)")
                == tasksBefore + Int64(created.count) + 1
        )
        #expect(
            try store.integer(
                "SELECT COUNT(*) FROM task WHERE tenant_id = \(tenant) AND unique_id LIKE 'c%-%'"
            )
                == Int64(created.count)
        )
        #expect(
            try store.integer("SELECT COUNT(*) FROM batch WHERE tenant_id = \(tenant)")
                == batchesBefore + Int64(tallies.map(\.batches).reduce(0, +))
        )
        #expect(
            try store.integer("SELECT COUNT(*) FROM teammate WHERE tenant_id = \(tenant)")
                == teamBefore + Int64(tallies.map(\.invites).reduce(0, +))
        )
        // The last metadata each client wrote is the one stored.
        for tally in tallies {
            for (id, n) in tally.metadataSet {
                #expect(
                    try store.strings("SELECT metadata FROM task WHERE task_id = ?", [id]) == [
                        #"{"v":\#(n)}"#
                    ]
                )
            }
            for id in tally.canceled {
                #expect(try store.strings("SELECT status FROM task WHERE task_id = ?", [id]) == ["canceled"])
            }
            for id in tally.tagged {
                let tags = try store.strings("SELECT tags FROM task WHERE task_id = ?", [id])
                #expect(tags.first?.contains("client") == true)
            }
        }
    }
}
