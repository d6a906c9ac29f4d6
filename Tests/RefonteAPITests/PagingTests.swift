import Testing

@testable import RefonteAPI

@Suite struct PagingTests {
    @Test func cursorPagingFollowsNextToken() throws {
        let list = try #require(Catalog.operation(id: "tasks.list"))
        let first: [String: JSONValue] = ["project": "p", "limit": 2]
        let second = list.nextPageArguments(after: first, hasMore: true, nextToken: "abc", returnedCount: 2)
        #expect(second == ["project": "p", "limit": 2, "next_token": "abc"])
        #expect(list.nextPageArguments(after: first, hasMore: true, nextToken: nil, returnedCount: 2) == nil)
        #expect(
            list.nextPageArguments(after: first, hasMore: false, nextToken: "abc", returnedCount: 2) == nil
        )
        // The next page's arguments are themselves valid.
        _ = try list.prepare(try #require(second))
    }

    @Test func offsetPagingMovesPastWhatWasReceived() throws {
        let list = try #require(Catalog.operation(id: "batches.list"))
        let second = list.nextPageArguments(
            after: ["limit": 10],
            hasMore: true,
            nextToken: nil,
            returnedCount: 10
        )
        #expect(second == ["limit": 10, "offset": 10])
        let third = list.nextPageArguments(
            after: try #require(second),
            hasMore: true,
            nextToken: nil,
            returnedCount: 7
        )
        #expect(third?["offset"] == 17)
        #expect(list.nextPageArguments(after: [:], hasMore: true, nextToken: nil, returnedCount: 0) == nil)
    }

    @Test func unpaginatedOperationsHaveNoNextPage() throws {
        let teams = try #require(Catalog.operation(id: "teams.list"))
        #expect(teams.nextPageArguments(after: [:], hasMore: true, nextToken: "x", returnedCount: 3) == nil)
    }
}
