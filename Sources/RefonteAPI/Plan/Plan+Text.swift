import Foundation

extension Plan {
    /// How many writes of one operation are listed before "… and N more".
    static let listedPerOperation = 20
    /// Bodies longer than this are cut, with "…".
    static let bodyWidth = 200

    /// The plan as people read it on standard error: writes grouped by operation (in the order
    /// each operation first appears) with their number, target and arguments, then counts.
    public var text: String {
        var lines: [String] = []
        let total = writes.count
        lines.append(
            "Plan \(id): \(total) write\(total == 1 ? "" : "s") (dry run: nothing was sent)"
        )
        var order: [String] = []
        var groups: [String: [PlannedWrite]] = [:]
        for write in writes {
            if groups[write.request.operationID] == nil { order.append(write.request.operationID) }
            groups[write.request.operationID, default: []].append(write)
        }
        for operation in order {
            let group = groups[operation] ?? []
            lines.append("  refonte.\(operation) × \(group.count)")
            for write in group.prefix(Self.listedPerOperation) {
                var line = "    \(write.index). \(readable(write.request.display))"
                if let body = write.request.bodyValue {
                    line += "  " + Self.cut(readable(body.jsonText))
                }
                lines.append(line)
            }
            if group.count > Self.listedPerOperation {
                lines.append(
                    "    … and \(group.count - Self.listedPerOperation) more (the plan file lists them all)"
                )
            }
        }
        let late = reads.filter(\.afterWrite).count
        var basis = "Based on \(reads.count) read\(reads.count == 1 ? "" : "s")"
        if late > 0 {
            basis +=
                "; \(late) came after the first planned write and saw the state before it (a direct run would see its writes)"
        }
        lines.append(basis + ".")
        for problem in problems { lines.append("Cannot be applied as planned: \(problem)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Placeholder markers as `(known after apply: write 3 task_id)`.
    public func readable(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        let encodedPrefix = PercentEncoding.encode(placeholderPrefix)
        while true {
            let plain = rest.range(of: placeholderPrefix)
            let encoded = rest.range(of: encodedPrefix)
            guard let range = [plain, encoded].compactMap({ $0 }).min(by: { $0.lowerBound < $1.lowerBound })
            else {
                break
            }
            out += rest[..<range.lowerBound]
            let isEncoded = range == encoded
            let tail = rest[range.lowerBound...]
            let close = isEncoded ? tail.range(of: "%29") : tail.range(of: ")")
            guard let close else { break }
            let candidate = String(tail[..<close.upperBound])
            let decoded = isEncoded ? (PercentEncoding.decode(candidate) ?? candidate) : candidate
            out += Placeholder.parse(decoded, prefix: placeholderPrefix)?.readable ?? candidate
            rest = tail[close.upperBound...]
        }
        return out + rest
    }

    private static func cut(_ text: String) -> String {
        text.count <= bodyWidth ? text : String(text.prefix(bodyWidth - 1)) + "…"
    }
}
