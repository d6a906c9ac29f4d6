/// The arguments of `<group>.iter`, which walks the pages of a paginated `<group>.list`.
///
/// The iterator takes the list's arguments, except that `limit` means what an operator reads
/// into it, "at most this many items" (all pages together, as `gh --limit`), and the page size
/// is `page_size` (the list's own `limit`, as the AWS CLI's `--max-items`/`--page-size`). Both
/// are declared here, from the list's page-size parameter, so the client, the docs and the
/// stubs describe one iterator.
extension Operation {
    /// The list's argument that sets how many items one page holds.
    static let pageSizeArgument = "limit"

    /// `tasks` for `tasks.list`: the group whose `.iter` walks the pages; nil when not paginated.
    public var iteratorID: String? {
        guard pagination != .none else { return nil }
        return luaPath.dropLast().joined(separator: ".")
    }

    /// The iterator's own parameters, in place of the list's page size: `limit` (the cap on the
    /// items yielded) and `page_size` (the list's `limit`, with its range). Empty when the
    /// operation is not paginated.
    public var iteratorParameters: [Parameter] {
        guard pagination != .none,
            let pageSize = parameters.first(where: { $0.name == Self.pageSizeArgument })
        else { return [] }
        var size = pageSize
        size.name = "page_size"
        size.wireName = "page_size"
        let largest = pageSize.maximum.map { "\($0)" } ?? "the list's default"
        size.doc = "Items per page (the list's `limit`); default \(largest), or `limit` when that is smaller."
        size.defaultValue = nil
        let cap = Parameter(
            Self.pageSizeArgument,
            in: .query,
            .integer,
            doc: "Stop after this many items, over all pages; default every item.",
            minimum: 1
        )
        return [cap, size]
    }

    /// The first page's arguments and the cap on items, from what a script gave `<group>.iter`;
    /// refuses what the iterator or the list would refuse, naming `<group>.iter`.
    public func startPageWalk(_ arguments: [String: JSONValue]) throws(ArgumentError) -> PageWalkStart {
        let name = (iteratorID ?? id) + ".iter"
        let own = iteratorParameters
        guard own.count == 2 else {
            throw ArgumentError(
                operationID: name,
                field: "",
                expected: "\(id) is not paginated",
                kind: .constraint
            )
        }
        let checker = ValueChecker(lenientEmptyTables: true, firstIndex: 1)
        var values: [Int64?] = []
        for parameter in own {
            guard let value = arguments[parameter.name], value != .null else {
                values.append(nil)
                continue
            }
            do {
                guard case .integer(let number) = try checker.check(value, for: parameter) else {
                    values.append(nil)
                    continue
                }
                values.append(number)
            } catch {
                var expected = parameter.type.description
                var got: String?
                if case .wrongValue(let wanted, let given, _) = error.kind {
                    (expected, got) = (wanted, given)
                }
                throw ArgumentError(
                    operationID: name,
                    field: parameter.name,
                    expected: expected,
                    got: got,
                    kind: .invalidValue
                )
            }
        }
        let cap = values[0]
        let largestPage = own[1].maximum ?? Int64.max
        let pageSize = min(values[1] ?? largestPage, cap ?? largestPage)

        var list = arguments
        list["page_size"] = nil
        list[Self.pageSizeArgument] = .integer(pageSize)
        do {
            _ = try prepare(list)
        } catch {
            var refused = error
            refused.operationID = name
            if refused.kind == .unknown {
                let names = iteratorArgumentNames
                refused.expected = names.joined(separator: ", ")
                refused.suggestion = Suggestion.closest(to: refused.field, in: names)
            }
            throw refused
        }
        return PageWalkStart(arguments: list, cap: cap)
    }

    /// The next page's arguments with the page no larger than the items still wanted.
    public func pageArguments(_ arguments: [String: JSONValue], remaining: Int64?) -> [String: JSONValue] {
        guard let remaining, case .integer(let size)? = arguments[Self.pageSizeArgument], remaining < size
        else {
            return arguments
        }
        var next = arguments
        next[Self.pageSizeArgument] = .integer(max(1, remaining))
        return next
    }

    /// Every argument `<group>.iter` takes: the list's, with the iterator's own `limit` and
    /// `page_size` in place of the list's `limit`.
    public var iteratorArguments: [Parameter] {
        let own = iteratorParameters
        return parameters.flatMap { $0.name == Self.pageSizeArgument ? own : [$0] }
    }

    var iteratorArgumentNames: [String] { iteratorArguments.map(\.name) }

    /// One line for docs: what the iterator's `limit` and `page_size` do.
    public var iteratorSummary: String? {
        guard let group = iteratorID, iteratorParameters.count == 2 else { return nil }
        let size = iteratorParameters[1]
        let range = size.minimum.map { lo in size.maximum.map { "\(lo)–\($0)" } ?? "at least \(lo)" } ?? ""
        return
            "refonte.\(group).iter walks them: its limit caps the items, page_size (\(range)) sets the page"
    }
}

/// Where a page walk starts: the list's arguments for the first page, and how many items the
/// walk may yield (nil: all of them).
public struct PageWalkStart: Sendable, Hashable {
    public var arguments: [String: JSONValue]
    public var cap: Int64?
}
