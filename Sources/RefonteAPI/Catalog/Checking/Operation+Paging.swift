extension Operation {
    /// The arguments that fetch the page after the one just received, or nil when that was the
    /// last page: the `<group>.iter` iterators walk every page with this, whatever the paging.
    ///
    /// - Cursor paging: the page's `next_token`; the end is a null or empty token, or
    ///   `has_more == false`.
    /// - Offset paging: `offset` moves past the items received; the end is `has_more == false`
    ///   or an empty page.
    public func nextPageArguments(
        after arguments: [String: JSONValue],
        hasMore: Bool,
        nextToken: String?,
        returnedCount: Int
    ) -> [String: JSONValue]? {
        guard hasMore else { return nil }
        var next = arguments
        switch pagination {
        case .none:
            return nil
        case .cursor:
            guard let nextToken, !nextToken.isEmpty else { return nil }
            next["next_token"] = .string(nextToken)
        case .offset:
            guard returnedCount > 0 else { return nil }
            var offset: Int64 = 0
            switch arguments["offset"] {
            case .integer(let n)?: offset = n
            case .double(let d)?: offset = Int64(exactly: d) ?? 0
            default: break
            }
            next["offset"] = .integer(offset + Int64(returnedCount))
        }
        return next
    }
}
